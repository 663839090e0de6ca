// The entry point shared by `main.swift` and the tests: parse, then run.

/// A parsed `sandpiper` command line.
public enum Command: Equatable, Sendable {
    /// `sandpiper help [COMMAND]` or `--help`.
    case help(String?)
    /// `sandpiper --version`.
    case version
    /// `sandpiper spectest ...`
    case spectest(SpecTestCommand)
    /// `sandpiper inspect ...`
    case inspect(InspectCommand)
    /// `sandpiper run ...`
    case run(RunCommand)
    /// `sandpiper repl ...`
    case repl(ReplCommand)
    /// `sandpiper plugins ...`
    case plugins(PluginsCommand)
    /// `sandpiper stubs ...`
    case stubs(StubsCommand)
    /// `sandpiper wasm ...`
    case wasm(WasmCommand)
}

/// Parses and runs `sandpiper` command lines.
public enum SandpiperCommandLine {
    /// The version string.
    public static let version = "sandpiper 0.1.0"

    /// Every command with its one-line description, in help order.
    static let commands: [(name: String, summary: String, usage: String)] = [
        ("run", "run Python code or a script in the sandbox", RunCommand.usage),
        ("repl", "an interactive Python session in the sandbox", ReplCommand.usage),
        ("plugins", "list, check and run plugins; show the audit log", PluginsCommand.usage),
        ("stubs", "write .pyi stubs for the modules plugins can import", StubsCommand.usage),
        ("wasm", "run a .wasm module's _start, or invoke one of its exports", WasmCommand.usage),
        ("spectest", "run the official WebAssembly spec tests", SpecTestCommand.usage),
        ("inspect", "describe a .wasm module, or list a function's lowered code", InspectCommand.usage),
    ]

    /// The general help text.
    static var help: String {
        var lines = ["usage: sandpiper COMMAND [OPTIONS]", "", "commands:"]
        for c in commands { lines.append("  \(c.name.padding(10))\(c.summary)") }
        lines += ["", "Run `sandpiper help COMMAND` (or `sandpiper COMMAND --help`) for a command's options."]
        return lines.joined(separator: "\n")
    }

    /// Parses a command line (without the program name).
    public static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        guard let name = arguments.first else { throw UsageError("no command given\n\n" + help) }
        let rest = Array(arguments.dropFirst())
        if name == "help" || name == "--help" || name == "-h" { return .help(rest.first) }
        if name == "--version" || name == "version" { return .version }
        // `--help` after the command asks for its usage (but not inside `-c CODE`, script or
        // program arguments).
        if let help = rest.firstIndex(where: { $0 == "--help" || $0 == "-h" }),
           !rest[..<help].contains("-c"), !rest[..<help].contains("--"), !rest[..<help].contains("--invoke"),
           !(name == "run" && rest[..<help].contains(where: { !$0.hasPrefix("-") })) {
            return .help(name)
        }
        var cursor = ArgumentCursor(rest, command: name)
        switch name {
        case "spectest": return .spectest(try SpecTestCommand.parse(&cursor))
        case "inspect": return .inspect(try InspectCommand.parse(&cursor))
        case "run": return .run(try RunCommand.parse(&cursor))
        case "repl": return .repl(try ReplCommand.parse(&cursor))
        case "plugins": return .plugins(try PluginsCommand.parse(&cursor))
        case "stubs": return .stubs(try StubsCommand.parse(&cursor))
        case "wasm": return .wasm(try WasmCommand.parse(&cursor))
        default: throw UsageError("unknown command \(name)\n\n" + help)
        }
    }

    /// Runs `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String], console: Console = .standard) -> Int32 {
        let command: Command
        do {
            command = try parse(arguments)
        } catch {
            console.error("sandpiper: \(error.message)")
            if let c = error.command, let entry = commands.first(where: { $0.name == c }) { console.error(entry.usage) }
            return 2
        }
        switch command {
        case .help(let topic):
            if let topic {
                guard let entry = commands.first(where: { $0.name == topic }) else {
                    console.error("sandpiper: no help for \(topic)\n\n" + help)
                    return 2
                }
                console.print(entry.usage)
            } else {
                console.print(help)
            }
            return 0
        case .version:
            console.print(version)
            return 0
        case .spectest(let c): return c.run(console)
        case .inspect(let c): return c.run(console)
        case .run(let c): return c.run(console)
        case .repl(let c): return c.run(console)
        case .plugins(let c): return c.run(console)
        case .stubs(let c): return c.run(console)
        case .wasm(let c): return c.run(console)
        }
    }
}

extension String {
    /// Pads with spaces to `width` characters.
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
