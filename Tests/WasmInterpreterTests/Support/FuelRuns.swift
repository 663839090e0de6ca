import WasmInterpreter

/// Why `runHandingOutFuel` could not finish.
struct UnfinishedRun: Error, CustomStringConvertible {
    let outcome: String
    var description: String { "the run did not finish: \(outcome)" }
}

/// Runs export `name` of `module` with fuel metering, giving `chunk` units at a time and
/// resuming each time the fuel runs out. Returns the results, how many times it was refuelled
/// and the fuel used in all.
func runHandingOutFuel(_ module: CompiledModule, _ name: String, _ arguments: [Value],
                       chunk: Int64) throws -> (values: [Value], refuels: Int, fuelUsed: Int64) {
    var configuration = StoreConfiguration()
    configuration.fuelMetering = true
    let store = Store(configuration: configuration)
    let instance = try store.instantiate(module)
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
