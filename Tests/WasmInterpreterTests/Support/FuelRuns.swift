import WasmInterpreter

/// Why `runHandingOutFuel` could not finish.
struct UnfinishedRun: Error, CustomStringConvertible {
    let outcome: String
    var description: String { "the run did not finish: \(outcome)" }
}

/// A store with fuel metering on or off (and no fuel limit given yet) and `module` in it.
func instantiate(_ module: CompiledModule, metering: Bool) throws -> (Store, Instance) {
    var configuration = StoreConfiguration()
    configuration.fuelMetering = metering
    let store = Store(configuration: configuration)
    return (store, try store.instantiate(module))
}

/// Runs export `name` of `module` with fuel metering, giving `chunk` units at a time and
/// resuming each time the fuel runs out (after `prepare`, given ample fuel, sets the instance
/// up). Returns the results, how many times it was refuelled and the fuel used in all.
func runHandingOutFuel(_ module: CompiledModule, _ name: String, _ arguments: [Value], chunk: Int64,
                       prepare: (Store, Instance) throws -> Void = { _, _ in }) throws -> (values: [Value], refuels: Int, fuelUsed: Int64) {
    let (store, instance) = try instantiate(module, metering: true)
    store.fuel = 1_000_000
    try prepare(store, instance)
    store.fuel = chunk
    var given = chunk
    var refuels = 0
    var outcome = try store.invoke(instance, name, arguments)
    while case .outOfFuel = outcome {
        refuels += 1
        store.addFuel(chunk)
        given += chunk
        outcome = try store.resume()
    }
    guard case .finished(let values) = outcome else { throw UnfinishedRun(outcome: "\(outcome)") }
    return (values, refuels, given - store.fuel)
}
