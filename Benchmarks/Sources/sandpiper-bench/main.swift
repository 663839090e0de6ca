// sandpiper-bench: Sandpiper's WasmInterpreter against WasmKit, side by side, in one process.
// See Benchmarks/README.md. The work is in BenchmarkRunner; this file only hands over.
import Foundation

exit(BenchmarkRunner.main(arguments: Array(CommandLine.arguments.dropFirst())))
