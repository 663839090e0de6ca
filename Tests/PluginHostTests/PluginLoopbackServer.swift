// A tiny HTTP server on 127.0.0.1 (an ephemeral port) for the net.fetch tests: `/ok` answers
// 200 "fine", anything else 404. It serves a bounded number of requests and stops when asked.

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Request paths a server has served.
final class PluginRequestLog: Sendable {
    private let paths = Mutex<[String]>([])
    func append(_ p: String) { paths.withLock { $0.append(p) } }
    var all: [String] { paths.withLock { $0 } }
}

final class PluginLoopbackServer: Sendable {
    let port: UInt16
    private let fd: Int32
    private let served = PluginRequestLog()

    /// The request paths served so far.
    var paths: [String] { served.all }

    /// Binds 127.0.0.1 on a free port and starts serving (at most `maxRequests`).
    init(maxRequests: Int = 100) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = UInt16(bigEndian: actual.sin_port)
        let served = self.served
        Thread.detachNewThread { [served] in
            for _ in 0..<maxRequests {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 8192)
                let n = read(client, &buffer, buffer.count)
                let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
                let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                served.append(path)
                let (status, body) = path == "/ok" ? ("200 OK", "fine") : ("404 Not Found", "missing")
                let response = "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = response.withCString { write(client, $0, strlen($0)) }
                close(client)
            }
        }
    }

    /// Stops accepting (the serving thread ends).
    func stop() {
        #if canImport(Glibc)
        shutdown(fd, Int32(SHUT_RDWR))
        #else
        shutdown(fd, SHUT_RDWR)
        #endif
        close(fd)
    }
}
