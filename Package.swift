// swift-tools-version: 6.1
// Sandpiper: run untrusted Python plugins inside a Swift application, on a WebAssembly
// interpreter written in Swift. No package dependencies: the Swift toolchain only.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sandpiper",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WasmInterpreter", targets: ["WasmInterpreter"]),
        .library(name: "WasiHost", targets: ["WasiHost"]),
        .library(name: "MicroPythonRuntime", targets: ["MicroPythonRuntime"]),
        .library(name: "PluginHost", targets: ["PluginHost"]),
        .executable(name: "sandpiper", targets: ["sandpiper"]),
        .executable(name: "NotesApp", targets: ["NotesApp"]),
    ],
    targets: [
        // The interpreter core: decode, validate, lower, execute. Standard library only.
        // `-tail-dup-succ-size` lets LLVM copy the dispatch loop's jump (a jump table with
        // hundreds of successors, over its default limit of 16) into every instruction's
        // handler, so each handler predicts its own next jump: threaded code from a `switch`.
        .target(name: "WasmInterpreter", exclude: ["README.md"],
                swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked",
                                                       "-Xllvm", "-tail-dup-succ-size=1024"])]),
        // WASI preview1 over a virtual filesystem.
        .target(name: "WasiHost", dependencies: ["WasmInterpreter"], exclude: ["README.md"], swiftSettings: strict),
        // The MicroPython guest: one-shot runs, sessions, the value bridge.
        .target(name: "MicroPythonRuntime", dependencies: ["WasiHost"], exclude: ["README.md"], swiftSettings: strict),
        // Plugins: manifests, permissions, capabilities, audit, events.
        .target(name: "PluginHost", dependencies: ["MicroPythonRuntime"], exclude: ["README.md"], swiftSettings: strict),
        // The official spec-test runner, shared by the tests and `sandpiper spectest`.
        .target(name: "SpecTestRunner", dependencies: ["WasmInterpreter"], exclude: ["README.md"], swiftSettings: strict),
        // The CLI's commands as a testable library; `sandpiper` is a thin main over it.
        .target(name: "SandpiperCLI", dependencies: ["PluginHost", "SpecTestRunner"], exclude: ["README.md"], swiftSettings: strict),
        .executableTarget(name: "sandpiper", dependencies: ["SandpiperCLI"], swiftSettings: strict),
        // The example app: a notes app that hosts the sample plugins (the README's main command).
        .executableTarget(name: "NotesApp", dependencies: ["PluginHost"], path: "Examples/NotesApp", swiftSettings: strict),

        .testTarget(name: "WasmInterpreterTests", dependencies: ["WasmInterpreter"], swiftSettings: strict),
        .testTarget(name: "SpecTestRunnerTests", dependencies: ["SpecTestRunner"], swiftSettings: strict),
        .testTarget(name: "WasiHostTests", dependencies: ["WasiHost"], exclude: ["Programs"], swiftSettings: strict),
        .testTarget(name: "MicroPythonRuntimeTests", dependencies: ["MicroPythonRuntime"], exclude: ["Corpus"], swiftSettings: strict),
        .testTarget(name: "PluginHostTests", dependencies: ["PluginHost"], swiftSettings: strict),
        .testTarget(name: "SandpiperCLITests", dependencies: ["SandpiperCLI"], swiftSettings: strict),
    ]
)
