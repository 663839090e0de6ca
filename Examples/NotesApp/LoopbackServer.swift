// A tiny HTTP server on 127.0.0.1 for the link-checker plugin to fetch from: `/ok` answers 200,
// anything else 404. Runs on a background thread for the demo's lifetime.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serves fixed responses on loopback.
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private var socketFD: Int32 = -1

    init(port: UInt16) { self.port = port }

    /// Starts listening; returns false if the port is taken.
    func start() -> Bool {
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            close(socketFD)
            return false
        }
        let fd = socketFD
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(client, &buffer, buffer.count)
                let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
                let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                let (status, body) = path == "/ok" ? ("200 OK", "fine") : ("404 Not Found", "missing")
                let response = "HTTP/1.1 \(status)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = response.withCString { write(client, $0, strlen($0)) }
                close(client)
            }
        }
        return true
    }
}
