// swift-tools-version: 6.1
// Sandpiper benchmarks: times Sandpiper's WasmInterpreter against WasmKit on the same Wasm
// workloads, in one process. A separate package so the main build never depends on WasmKit.
import PackageDescription

let package = Package(
    name: "SandpiperBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Sandpiper", path: ".."),
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
    ],
    targets: [
        .executableTarget(
            name: "sandpiper-bench",
            dependencies: [
                .product(name: "WasmInterpreter", package: "Sandpiper"),
                // The MicroPython workloads on Sandpiper: the public runtime API and its WASI host.
                .product(name: "MicroPythonRuntime", package: "Sandpiper"),
                .product(name: "WasiHost", package: "Sandpiper"),
                .product(name: "WasmKit", package: "WasmKit"),
                // WASI for WasmKit, for the MicroPython workloads (see README.md, "Adding a workload").
                .product(name: "WasmKitWASI", package: "WasmKit"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
