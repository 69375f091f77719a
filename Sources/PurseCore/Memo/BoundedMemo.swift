// Purse — PurseCore (pure).
// Values remembered per key in a small table that empties when full.

import Synchronization

/// Remembers computed values per key, for work a process repeats with few distinct inputs
/// (an address's EIP-55 checksum, a token's EIP-712 domain separator, a Solana associated
/// token account). Bounded: the table empties when it reaches `capacity`, so a stream of many
/// distinct keys (a hostile catalog's addresses) costs what it would without the memo, never
/// more memory. Safe to share between threads; `compute` runs outside the lock, so two threads
/// may both compute a missing value, which is harmless for the pure functions it serves.
public final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = Mutex<[Key: Value]>([:])
    private let capacity: Int

    /// Creates an empty memo that holds at most `capacity` values.
    public init(capacity: Int) {
        precondition(capacity > 0, "a memo holds at least one value")
        self.capacity = capacity
    }

    /// The remembered value for `key`, or `compute(key)`, remembered.
    public func value(for key: Key, compute: (Key) -> Value) -> Value {
        if let known = table.withLock({ $0[key] }) { return known }
        let value = compute(key)
        table.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[key] = value
        }
        return value
    }

    /// How many values are remembered now (for tests).
    public var count: Int { table.withLock { $0.count } }
}
