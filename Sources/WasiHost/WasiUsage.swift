// What a guest has used so far: output, file writes and open files.

/// Resource accounting for one `WasiHost`, read with `WasiHost.usage`.
public struct WasiUsage: Sendable, Equatable, CustomStringConvertible {
    /// Bytes written to standard output (up to its cap).
    public var stdoutBytes = 0
    /// Bytes written to standard error (up to its cap).
    public var stderrBytes = 0
    /// Bytes charged to the write quota: written to files (memory or host, overwrites included)
    /// plus the bytes files grew by through seeking past the end, `fd_allocate` or `fd_filestat_set_size`.
    public var bytesWritten = 0
    /// Successful `path_open` calls so far.
    public var filesOpened = 0
    /// Descriptors open now through `path_open`.
    public var openFiles = 0
    /// The most descriptors open at once through `path_open`.
    public var peakOpenFiles = 0
    /// Files and directories the guest added, net of those it removed (`WasiQuotas.maxEntries`;
    /// never below zero).
    public var entriesAdded = 0

    /// Creates an empty record.
    public init() {}

    /// `stdout 12 B, stderr 0 B, files written 40 B, opened 3 (1 open, peak 2)`.
    public var description: String {
        "stdout \(stdoutBytes) B, stderr \(stderrBytes) B, files written \(bytesWritten) B, opened \(filesOpened) (\(openFiles) open, peak \(peakOpenFiles))"
    }
}
