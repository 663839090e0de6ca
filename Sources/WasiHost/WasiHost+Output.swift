// Standard output and error: delivery to the configured sinks, counting, and the byte caps.

extension WasiHost {
    /// Delivers a write to `channel`. Bytes up to the stream's limit are delivered; if the write
    /// goes past it, the guest is stopped with `WasiStop.outputLimitExceeded` after delivering them.
    /// Returns the number of bytes written (all of them, when it returns).
    func emit(_ bytes: [UInt8], to channel: OutputChannel) throws -> Int {
        let output = channel == .stdout ? configuration.stdout : configuration.stderr
        let alreadyWritten = shared.withLock { state in
            channel == .stdout ? state.usage.stdoutBytes - state.periodStartStdout : state.usage.stderrBytes - state.periodStartStderr
        }
        let room = max(0, output.limit - alreadyWritten)
        let accepted = bytes.count <= room ? bytes : Array(bytes.prefix(room))
        if !accepted.isEmpty {
            shared.withLock { state in
                switch channel {
                case .stdout:
                    state.usage.stdoutBytes += accepted.count
                    if case .collect = output.sink { state.stdout += accepted }
                case .stderr:
                    state.usage.stderrBytes += accepted.count
                    if case .collect = output.sink { state.stderr += accepted }
                }
            }
            if case .handler(let handler) = output.sink { handler(accepted) }
        }
        guard accepted.count == bytes.count else {
            throw WasiStop.outputLimitExceeded(stream: channel, limit: output.limit)
        }
        return bytes.count
    }
}
