// PurseMCP: the MCP face of the Purse wallet.
import Foundation

/// A one-shot signal: `wait()` returns once `fire()` has been called (at any time before or after).
final class Latch: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []


    /// Fires the latch, releasing every waiter; later calls do nothing.
    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard !fired else { return [] }
            fired = true
            defer { waiters = [] }
            return waiters
        }
        for c in toResume { c.resume() }
    }

    /// Waits until the latch fires (not cancellable: race it with something else instead).
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if fired { return true }
                waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }
}
