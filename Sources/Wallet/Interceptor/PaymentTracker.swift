import Foundation

/// Counts payments in progress so that a shutdown can wait until every ledger row is final.
public final class PaymentTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates an idle tracker.
    public init() {}

    /// Marks a payment as started.
    public func begin() {
        lock.lock(); active += 1; lock.unlock()
    }

    /// Marks a payment as finished (its row is final).
    public func end() {
        lock.lock()
        active -= 1
        let ready = active == 0 ? waiters : []
        if active == 0 { waiters = [] }
        lock.unlock()
        for w in ready { w.resume() }
    }

    /// The number of payments in progress.
    public var inFlight: Int { lock.lock(); defer { lock.unlock() }; return active }

    /// Returns once no payment is in progress.
    public func drain() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if active == 0 { lock.unlock(); c.resume(); return }
            waiters.append(c)
            lock.unlock()
        }
    }
}
