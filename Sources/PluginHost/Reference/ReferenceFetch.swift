// net.fetch: one URLSession per call, whose delegate checks every redirect against the plugin's
// network.hosts, stops reading at the body cap, and ends the call at a total deadline or when the
// calling Swift task is cancelled.
//
// swift-corelibs-foundation notes (Linux): `timeoutIntervalForResource` is stored but not
// enforced, so the deadline is our own timer; and a redirect's completion handler must not be
// called once the task is being cancelled (its state machine traps on that), so every cancel and
// every redirect answer is made under the delegate's lock and no answer follows a cancel.

import Foundation
import MicroPythonRuntime
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ReferenceApp {
    /// How much one `net.fetch` may read, and for how long.
    struct FetchLimits: Sendable {
        /// Most body bytes read; the transfer is cancelled once it has sent this many.
        var maxBodyBytes = 64 << 10
        /// Most redirects followed (each to an allowed host).
        var maxRedirects = 5
        /// Longest wait for the server to send anything (the request's idle timeout).
        var idleTimeout: TimeInterval = 5
        /// Longest the whole fetch takes, redirects included.
        var totalTimeout: TimeInterval = 10

        /// 64 KiB, 5 redirects, 5 s idle, 10 s in all.
        static let standard = FetchLimits()
    }

    /// Fetches `text` if it is an http:// or https:// URL whose host (and port) is in `allowed`.
    ///
    /// - A redirect is followed only to an http:// or https:// URL whose host passes the same
    ///   check (`refusal(of:allowed:redirect:)`); a redirect anywhere else is not followed and
    ///   the call raises `PermissionError` naming the refused host (rather than returning the 3xx
    ///   response). More than `limits.maxRedirects` redirects raise `OSError`.
    /// - At most `limits.maxBodyBytes` of body are read: the transfer is cancelled there, and the
    ///   result holds those bytes.
    /// - The whole call takes at most `limits.totalTimeout` (then `OSError`), and the server may
    ///   stay silent for at most `limits.idleTimeout`. A transport failure is an `OSError`.
    /// - Cancelling the calling task cancels the transfer and throws `CancellationError`.
    static func fetch(_ text: String, allowed: [String], limits: FetchLimits = .standard) async throws -> FetchResult {
        guard let url = URL(string: text) else {
            throw PythonException("ValueError", "fetch() needs an http:// or https:// URL, got \(text.prefix(100))")
        }
        if let refusal = refusal(of: url, allowed: allowed) { throw refusal }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = limits.idleTimeout
        configuration.timeoutIntervalForResource = limits.totalTimeout   // enforced on Darwin; see the timer below
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let delegate = FetchDelegate(allowed: allowed, limits: limits)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        var request = URLRequest(url: url)
        request.timeoutInterval = limits.idleTimeout
        let task = session.dataTask(with: request)
        let hostPort = url.port.map { "\(url.host ?? ""):\($0)" } ?? url.host ?? ""
        let deadline = Task {
            try await Task.sleep(for: .seconds(limits.totalTimeout))
            delegate.finish(.failure(PythonException(
                "OSError", "fetch() from host \(hostPort) took longer than \(String(format: "%g", limits.totalTimeout)) s")))
        }
        defer {
            deadline.cancel()
            delegate.cancelTask()
            session.finishTasksAndInvalidate()   // releases the delegate once the task has ended
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    delegate.start(task, continuation: continuation)
                }
            } onCancel: {
                delegate.finish(.failure(CancellationError()))
            }
        } catch let error as PythonException {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PythonException("OSError", "fetch() from host \(hostPort) failed: \(Self.describe(error))")
        }
    }

    /// A transport error in a few words (the common URL errors in plain words, others as described).
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        switch nsError.domain == NSURLErrorDomain ? nsError.code : 0 {
        case NSURLErrorTimedOut: return "the server sent nothing for too long"
        case NSURLErrorCannotConnectToHost: return "could not connect"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "no such host"
        case NSURLErrorNetworkConnectionLost: return "the connection was lost"
        default:
            let text = nsError.localizedDescription
            return text.isEmpty || text == "(null)" ? "\(nsError.domain) error \(nsError.code)" : text
        }
    }

    /// Why `net.fetch` may not reach `url` (nil if it may): it must be an http:// or https://
    /// URL with a host, and `allowed` (a manifest's `network.hosts`) must list that host with
    /// its port, or the bare host when the URL names no port. The exception is `ValueError` for
    /// another kind of URL and `PermissionError` for another host; for a `redirect`, both are
    /// `PermissionError`s that name the redirect.
    static func refusal(of url: URL, allowed: [String], redirect: Bool = false) -> PythonException? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty else {
            let shown = url.absoluteString.prefix(100)
            return redirect
                ? PythonException("PermissionError", "redirect to \(shown) refused: not an http:// or https:// URL")
                : PythonException("ValueError", "fetch() needs an http:// or https:// URL, got \(shown)")
        }
        let hostPort = url.port.map { "\(host):\($0)" } ?? host
        if allowed.contains(where: { $0.lowercased() == hostPort || $0.lowercased() == host && url.port == nil }) {
            return nil
        }
        return PythonException("PermissionError", "\(redirect ? "redirect to host" : "host") \(hostPort) is not in this plugin's network.hosts (\(allowed.joined(separator: ", ")))")
    }
}

/// The delegate of one `net.fetch` session: it keeps the status and up to the body cap, answers
/// redirects, and resumes the caller exactly once (with the result, the first refusal, the
/// deadline, or cancellation), cancelling the transfer then.
final class FetchDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private typealias Outcome = Result<ReferenceApp.FetchResult, any Error>

    private struct State {
        var continuation: CheckedContinuation<ReferenceApp.FetchResult, any Error>?
        var task: URLSessionDataTask?
        var outcome: Outcome?
        var cancelIssued = false
        var status = 0
        var body = Data()
        var redirects = 0
    }

    private let state = Mutex(State())
    private let allowed: [String]
    private let limits: ReferenceApp.FetchLimits

    /// A delegate for a fetch allowed to reach `allowed`, within `limits`.
    init(allowed: [String], limits: ReferenceApp.FetchLimits) {
        self.allowed = allowed
        self.limits = limits
    }

    /// Starts `task`, whose outcome resumes `continuation` (at once if the fetch has already
    /// ended, as when it was cancelled before it started).
    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<ReferenceApp.FetchResult, any Error>) {
        let early: Outcome? = state.withLock { s in
            s.task = task
            task.resume()
            if let outcome = s.outcome {
                Self.cancel(&s)
                return outcome
            }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Ends the fetch with `outcome` unless it has ended already, and cancels the transfer.
    func finish(_ outcome: Result<ReferenceApp.FetchResult, any Error>) {
        let continuation = state.withLock { Self.finish(&$0, outcome) }
        continuation?.resume(with: outcome)
    }

    /// Cancels the transfer (once; nothing happens if it has ended).
    func cancelTask() {
        state.withLock { Self.cancel(&$0) }
    }

    private static func finish(_ s: inout State, _ outcome: Outcome) -> CheckedContinuation<ReferenceApp.FetchResult, any Error>? {
        guard s.outcome == nil else { return nil }
        s.outcome = outcome
        cancel(&s)
        defer { s.continuation = nil }
        return s.continuation
    }

    private static func cancel(_ s: inout State) {
        guard !s.cancelIssued, let task = s.task else { return }
        s.cancelIssued = true
        task.cancel()
    }

    private func result(_ s: State) -> ReferenceApp.FetchResult {
        ReferenceApp.FetchResult(status: s.status, body: String(decoding: s.body, as: UTF8.self))
    }

    /// Follows `request` only if it goes to an allowed host and the redirect cap is not reached;
    /// otherwise answers nil and ends the fetch with the refusal.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @Sendable @escaping (URLRequest?) -> Void) {
        var refusal: PythonException? = request.url.map { ReferenceApp.refusal(of: $0, allowed: allowed, redirect: true) }
            ?? PythonException("PermissionError", "redirect without a URL refused")
        let ended: (CheckedContinuation<ReferenceApp.FetchResult, any Error>?, Outcome)? = state.withLock { s in
            // Once the task is being cancelled, an answer would trap in corelibs-foundation; the
            // cancellation completes the task instead.
            guard !s.cancelIssued else { return nil }
            s.redirects += 1
            if refusal == nil && s.redirects > limits.maxRedirects {
                refusal = PythonException("OSError", "fetch() stopped after \(limits.maxRedirects) redirects")
            }
            guard let refusal else {
                completionHandler(request)
                return nil
            }
            completionHandler(nil)
            let outcome = Outcome.failure(refusal)
            return (Self.finish(&s, outcome), outcome)
        }
        if let ended { ended.0?.resume(with: ended.1) }
    }

    /// Notes the status.
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @Sendable @escaping (URLSession.ResponseDisposition) -> Void) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    /// Keeps body bytes up to the cap; at the cap, ends the fetch with them.
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let ended: (CheckedContinuation<ReferenceApp.FetchResult, any Error>?, Outcome)? = state.withLock { s in
            guard s.outcome == nil else { return nil }
            s.body.append(data.prefix(limits.maxBodyBytes - s.body.count))
            guard s.body.count >= limits.maxBodyBytes else { return nil }
            let outcome = Outcome.success(result(s))
            return (Self.finish(&s, outcome), outcome)
        }
        if let ended { ended.0?.resume(with: ended.1) }
    }

    /// Ends the fetch with what was read, or the error.
    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let ended: (CheckedContinuation<ReferenceApp.FetchResult, any Error>?, Outcome)? = state.withLock { s in
            guard s.outcome == nil else { return nil }
            if s.status == 0, let response = task.response as? HTTPURLResponse { s.status = response.statusCode }
            let outcome = error.map { Outcome.failure($0) } ?? .success(result(s))
            return (Self.finish(&s, outcome), outcome)
        }
        if let ended { ended.0?.resume(with: ended.1) }
    }
}
