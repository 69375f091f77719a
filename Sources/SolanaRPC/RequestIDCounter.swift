// Purse — SolanaRPC module (edge): JSON-RPC request ids.

import Foundation

/// Hands out increasing JSON-RPC ids, starting at 1; safe across tasks.
final class RequestIDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0

    /// The next id.
    func next() -> Int {
        lock.withLock {
            last += 1
            return last
        }
    }
}
