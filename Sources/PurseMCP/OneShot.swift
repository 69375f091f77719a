// PurseMCP: the MCP face of the Purse wallet.
import Foundation

/// A value set once by whichever racer gets there first; `value()` waits for it.
final class OneShot<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: T?
    private var waiters: [CheckedContinuation<T, Never>] = []

    /// Sets the value unless one was already set; returns whether this call set it.
    @discardableResult
    func fulfil(_ value: T) -> Bool {
        let toResume: [CheckedContinuation<T, Never>]? = lock.withLock {
            guard result == nil else { return nil }
            result = value
            defer { waiters = [] }
            return waiters
        }
        guard let toResume else { return false }
        for c in toResume { c.resume(returning: value) }
        return true
    }

    /// Waits for the value.
    func value() async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            let ready: T? = lock.withLock {
                if let result { return result }
                waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
