// A child process's exit, as an event the HTTP integration tests can wait on.

import Foundation

/// A child process's exit as an event: `wait(seconds:)` blocks until the process has exited
/// (reported by `Process.terminationHandler`), with no polling.
final class ExitSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exited = false

    /// Installs the handler; call before `process.run()`.
    init(_ process: Process) {
        process.terminationHandler = { [self] _ in
            lock.withLock { exited = true }
            semaphore.signal()
        }
    }

    /// Whether the process has exited.
    var hasExited: Bool { lock.withLock { exited } }

    /// Blocks (off the pool!) until the process exits or `seconds` pass; true if it exited.
    func wait(seconds: Double) -> Bool {
        if hasExited { return true }
        guard semaphore.wait(timeout: .now() + seconds) == .success else { return false }
        semaphore.signal()  // keep the event set for later waiters
        return true
    }
}
