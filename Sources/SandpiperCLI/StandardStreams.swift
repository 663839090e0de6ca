// Text output streams over the process's stdout and stderr.

import Foundation

/// Writes to standard output.
public struct StandardOutput: TextOutputStream {
    /// Creates a stream.
    public init() {}
    /// Writes `string` unbuffered.
    public mutating func write(_ string: String) { FileHandle.standardOutput.write(Data(string.utf8)) }
}

/// Writes to standard error.
public struct StandardError: TextOutputStream {
    /// Creates a stream.
    public init() {}
    /// Writes `string` unbuffered.
    public mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
