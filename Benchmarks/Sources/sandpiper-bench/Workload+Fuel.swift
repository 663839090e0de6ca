// Fuel-overhead rows: a workload on Sandpiper with fuel metering off and on, alternating, to
// show what metering (which every plugin and the default PythonLimits use) costs.

extension Workload {
    /// The workloads measured with fuel metering off and on: one MicroPython program and one
    /// C kernel.
    static let fuelBases = ["py-json", "stackvm"]

    /// The fuel-overhead rows, named `fuel-<base>`.
    static func fuel(bases: [Workload]) -> [Workload] {
        fuelBases.compactMap { name in
            guard let base = bases.first(where: { $0.name == name }) else { return nil }
            return Workload(name: "fuel-" + base.name, summary: base.summary, group: .fuel,
                            timed: base.group == .kernel ? "the call, as in the kernel row" : "the run, as in the py- row",
                            body: .fuelOverhead(base: base), expected: base.expected, script: base.script,
                            engines: [.sandpiper])
        }
    }
}
