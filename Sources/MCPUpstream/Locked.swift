// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import Foundation

/// A value behind a lock, for state shared by reader threads and tasks (never held across an
/// `await`).
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
