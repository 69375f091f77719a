// PurseMCP: the MCP face of the Purse wallet.
import BlockingWork
import Foundation

/// Runs backend calls in unstructured tasks (so cancelling the MCP request does not cancel a
/// payment) and lets shutdown wait for every one of them.
final class CallTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []


    /// Starts `operation` in a new unstructured task, counted until it returns; on the caller's
    /// `BlockingWorkers` when it has one (an unstructured task inherits no executor preference).
    func start<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> Task<T, Never> {
        lock.withLock { running += 1 }
        return Task(executorPreference: BlockingWorkers.current) {
            defer { self.finished() }
            return await operation()
        }
    }

    /// Waits until no call is running.
    func waitForAll() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let idle: Bool = lock.withLock {
                if running == 0 { return true }
                idleWaiters.append(c)
                return false
            }
            if idle { c.resume() }
        }
    }

    private func finished() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            running -= 1
            guard running == 0 else { return [] }
            defer { idleWaiters = [] }
            return idleWaiters
        }
        for c in toResume { c.resume() }
    }
}
