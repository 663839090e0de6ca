// The entry point shared by `main.swift` and the tests.

/// Parses and runs a `sandpiper` command line.
public enum SandpiperCommandLine {
    /// Runs `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        var out = StandardOutput()
        guard let first = arguments.first else { return 2 }
        switch first {
        case "spectest":
            var dir: String? = nil
            var files: [String] = []
            var fuel: [Bool] = [false, true]
            var verbose = false
            var rest = arguments.dropFirst()
            while let a = rest.popFirst() {
                switch a {
                case "--file": if let f = rest.popFirst() { files.append(f) }
                case "--fuel": fuel = [true]
                case "--no-fuel": fuel = [false]
                case "-v", "--verbose": verbose = true
                default: dir = a
                }
            }
            return SpecTestCommand.run(directory: dir, files: files, fuelModes: fuel, verbose: verbose, output: &out)
        default:
            return 2
        }
    }
}
