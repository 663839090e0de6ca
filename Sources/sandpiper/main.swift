import Foundation
import SandpiperCLI

exit(SandpiperCommandLine.main(Array(CommandLine.arguments.dropFirst())))
