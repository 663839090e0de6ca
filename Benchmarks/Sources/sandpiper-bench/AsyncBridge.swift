// The runner is synchronous; sessions are actors. This runs async work to completion from
// synchronous code (never from inside a task: it blocks the calling thread).
import Dispatch

/// Runs `body` in a new task and waits for it. The calling thread blocks, so call it only from
/// the runner's own thread, never from async code.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Carries a task's result to the waiting thread (the semaphore orders the accesses).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
