// A tiny HTTP server on 127.0.0.1 (an ephemeral port) for the net.fetch tests. Routes:
//   /ok                 200 "fine"
//   /secret             200 "secret"
//   /redirect?to=URL    302 to URL (percent-decoded; relative or absolute)
//   /loop               302 to /loop, forever
//   /big                200 with a body of `bigBodyBytes` (64 MiB by default), 64 KiB a millisecond
//   /drip               200 with a 60-byte body, one byte a second
//   /silent             200 with a 10-byte body it never sends (it waits 10 s and closes)
//   anything else       404 "missing"
// Each connection gets its own thread; the server records every request path, and for every
// response how many bytes of it the client accepted and whether all of them were sent (a client
// that closes early makes a write fail). It serves a bounded number of connections and stops
// when asked.

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One response a server sent (or tried to).
struct PluginTransfer: Sendable, Equatable {
    /// The request path.
    var path: String
    /// Bytes of the response (headers included) the client accepted.
    var sent: Int
    /// Whether the whole response was sent.
    var complete: Bool
}

/// Request paths a server has served, and its responses.
final class PluginRequestLog: Sendable {
    private let paths = Mutex<[String]>([])
    private let transfers = Mutex<[PluginTransfer]>([])
    func append(_ p: String) { paths.withLock { $0.append(p) } }
    func append(_ t: PluginTransfer) { transfers.withLock { $0.append(t) } }
    var all: [String] { paths.withLock { $0 } }
    var allTransfers: [PluginTransfer] { transfers.withLock { $0 } }
}

final class PluginLoopbackServer: Sendable {
    let port: UInt16
    private let fd: Int32
    private let served = PluginRequestLog()

    /// The size of `/big`'s body.
    let bigBodyBytes: Int

    /// The request paths served so far.
    var paths: [String] { served.all }

    /// The responses finished so far (in the order they finished).
    var transfers: [PluginTransfer] { served.allTransfers }

    /// The finished response to `path`, waiting up to `timeout` for it.
    func transfer(_ path: String, timeout: Duration = .seconds(20)) async -> PluginTransfer? {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if let t = transfers.first(where: { $0.path == path }) { return t }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Binds 127.0.0.1 on a free port and starts serving (at most `maxRequests` connections), with
    /// a `/big` body of `bigBodyBytes` (64 MiB unless told).
    init(maxRequests: Int = 100, bigBodyBytes: Int = 64 << 20) throws {
        self.bigBodyBytes = bigBodyBytes
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
                Thread.detachNewThread { [served] in
                    Self.serve(client, served, bigBodyBytes: bigBodyBytes)
                    close(client)
                }
            }
        }
    }

    /// Answers one request on `client`.
    private static func serve(_ client: Int32, _ served: PluginRequestLog, bigBodyBytes: Int) {
        // A small send buffer, no SIGPIPE, and no write blocked for more than 10 s.
        var size: Int32 = 64 << 10
        setsockopt(client, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var buffer = [UInt8](repeating: 0, count: 8192)
        let n = read(client, &buffer, buffer.count)
        let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
        let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        served.append(path)

        var sent = 0
        func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                let w = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                #else
                let w = bytes[offset...].withUnsafeBytes { Darwin.send(client, $0.baseAddress, $0.count, 0) }
                #endif
                if w <= 0 { return false }
                offset += w
                sent += w
            }
            return true
        }
        func head(_ status: String, length: Int, _ extra: String = "") -> [UInt8] {
            Array("HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(length)\r\n\(extra)Connection: close\r\n\r\n".utf8)
        }
        func simple(_ status: String, _ body: String, _ extra: String = "") -> Bool {
            send(head(status, length: body.utf8.count, extra) + Array(body.utf8))
        }

        let complete: Bool
        switch path {
        case "/ok":
            complete = simple("200 OK", "fine")
        case "/secret":
            complete = simple("200 OK", "secret")
        case "/loop":
            complete = simple("302 Found", "again", "Location: /loop\r\n")
        case _ where path.hasPrefix("/redirect?to="):
            let target = String(path.dropFirst("/redirect?to=".count)).removingPercentEncoding ?? "/"
            complete = simple("302 Found", "moved", "Location: \(target)\r\n")
        case "/big":
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 10)
            var ok = send(head("200 OK", length: bigBodyBytes))
            var left = bigBodyBytes
            while ok && left > 0 {
                ok = send(Array(chunk.prefix(left)))
                left -= min(left, chunk.count)
                usleep(1000)   // at most 64 MiB/s: a client that stops reading is seen long before the end
            }
            complete = ok
        case "/drip":
            var ok = send(head("200 OK", length: 60))
            for _ in 0..<60 where ok {
                Thread.sleep(forTimeInterval: 1)
                ok = send([UInt8(ascii: "d")])
            }
            complete = ok
        case "/silent":
            _ = send(head("200 OK", length: 10))
            Thread.sleep(forTimeInterval: 10)
            complete = false
        default:
            complete = simple("404 Not Found", "missing")
        }
        served.append(PluginTransfer(path: path, sent: sent, complete: complete))
    }

    /// Stops accepting (the accepting thread ends; connections being served finish).
    func stop() {
        #if canImport(Glibc)
        shutdown(fd, Int32(SHUT_RDWR))
        #else
        shutdown(fd, SHUT_RDWR)
        #endif
        close(fd)
    }
}
