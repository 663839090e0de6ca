// swift-tools-version: 6.1
// Sandpiper fuzzing: libFuzzer targets and the Sandpiper side of the wasmtime differential test.
// A separate package (depending on the main one by path) so the main build keeps no dependencies.
// Build and run with `Fuzz/run.sh TARGET SECONDS`; see README.md.
import PackageDescription

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "SandpiperFuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fuzz-decode", targets: ["fuzz-decode"]),
        .executable(name: "fuzz-run", targets: ["fuzz-run"]),
        .executable(name: "fuzz-manifest", targets: ["fuzz-manifest"]),
        .executable(name: "fuzz-wire", targets: ["fuzz-wire"]),
        .executable(name: "sandpiper-diff", targets: ["sandpiper-diff"]),
    ],
    dependencies: [
        .package(name: "Sandpiper", path: ".."),
    ],
    targets: [
        // Stub imports and the call loop shared by `fuzz-run` and `sandpiper-diff`.
        .target(name: "FuzzSupport",
                dependencies: [.product(name: "WasmInterpreter", package: "Sandpiper")],
                swiftSettings: settings),
        // (a) decode + validate (+ lower every function) arbitrary bytes.
        .executableTarget(name: "fuzz-decode",
                          dependencies: [.product(name: "WasmInterpreter", package: "Sandpiper")],
                          swiftSettings: settings),
        // (b) instantiate and run valid modules under fuel and memory limits.
        .executableTarget(name: "fuzz-run", dependencies: ["FuzzSupport"], swiftSettings: settings),
        // (c) the plugin manifest parser.
        .executableTarget(name: "fuzz-manifest",
                          dependencies: [.product(name: "PluginHost", package: "Sandpiper")],
                          swiftSettings: settings),
        // (d) the Python value wire parser and the Codable mapping.
        .executableTarget(name: "fuzz-wire",
                          dependencies: [.product(name: "MicroPythonRuntime", package: "Sandpiper")],
                          swiftSettings: settings),
        // The Sandpiper side of `differential.py`: runs one module's calls, prints JSON results.
        .executableTarget(name: "sandpiper-diff", dependencies: ["FuzzSupport"], swiftSettings: settings),
    ]
)
