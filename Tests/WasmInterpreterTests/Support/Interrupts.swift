import Foundation
import WasmInterpreter

/// Calls export `name` of `instance` while another thread cancels the store after 50 ms;
/// returns the trap the call ended with, and resets the handle for later calls.
func callCancelledFromAnotherThread(_ store: Store, _ instance: Instance, _ name: String,
                                    _ arguments: [Value] = []) throws -> Trap? {
    let handle = store.interruptHandle
    let thread = Thread {
        Thread.sleep(forTimeInterval: 0.05)
        handle.cancel()
    }
    thread.start()
    defer { handle.reset() }
    do {
        _ = try store.call(instance, name, arguments)
        return nil
    } catch {
        return error
    }
}
