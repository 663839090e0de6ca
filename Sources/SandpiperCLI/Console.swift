// Where commands read input and write output: the process's streams, or buffers in tests.

import Foundation

/// Input and output for a command. Guest output passes through as raw bytes.
public final class Console: @unchecked Sendable {
    /// Writes bytes to standard output.
    public let writeOut: ([UInt8]) -> Void
    /// Writes bytes to standard error.
    public let writeError: ([UInt8]) -> Void
    /// Reads one line from standard input (nil at end of input), without the newline.
    public let readLine: () -> String?
    /// Reads all of standard input.
    public let readAll: () -> [UInt8]
    /// Whether standard input is a terminal.
    public let inputIsTerminal: Bool

    /// Creates a console from its parts.
    public init(writeOut: @escaping ([UInt8]) -> Void, writeError: @escaping ([UInt8]) -> Void,
                readLine: @escaping () -> String? = { nil }, readAll: @escaping () -> [UInt8] = { [] },
                inputIsTerminal: Bool = false) {
        self.writeOut = writeOut
        self.writeError = writeError
        self.readLine = readLine
        self.readAll = readAll
        self.inputIsTerminal = inputIsTerminal
    }

    /// The process's standard streams.
    public static let standard = Console(
        // `write(contentsOf:)` throws where `write(_:)` would stop the process (a full disk, a
        // closed pipe with SIGPIPE ignored): output that cannot be written is dropped.
        writeOut: { try? FileHandle.standardOutput.write(contentsOf: Data($0)) },
        writeError: { try? FileHandle.standardError.write(contentsOf: Data($0)) },
        readLine: { Swift.readLine(strippingNewline: true) },
        readAll: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
        inputIsTerminal: isatty(0) != 0)

    /// Writes text to standard output.
    public func print(_ text: String, terminator: String = "\n") { writeOut(Array((text + terminator).utf8)) }
    /// Writes text to standard error.
    public func error(_ text: String, terminator: String = "\n") { writeError(Array((text + terminator).utf8)) }
}

/// A console that collects output (for tests).
public final class CapturingConsole: @unchecked Sendable {
    /// Everything written to standard output.
    public private(set) var output: [UInt8] = []
    /// Everything written to standard error.
    public private(set) var errorOutput: [UInt8] = []
    private var input: [String]
    private let lock = NSLock()

    /// Creates a capturing console with the given input lines.
    public init(input: [String] = []) { self.input = input }

    /// Standard output as text.
    public var outputText: String { String(decoding: output, as: UTF8.self) }
    /// Standard error as text.
    public var errorText: String { String(decoding: errorOutput, as: UTF8.self) }

    /// The console to hand to commands.
    public var console: Console {
        Console(writeOut: { bytes in self.lock.withLock { self.output += bytes } },
                writeError: { bytes in self.lock.withLock { self.errorOutput += bytes } },
                readLine: { self.lock.withLock { self.input.isEmpty ? nil : self.input.removeFirst() } },
                readAll: { self.lock.withLock { let all = self.input.joined(separator: "\n"); self.input = []; return Array(all.utf8) } })
    }
}
