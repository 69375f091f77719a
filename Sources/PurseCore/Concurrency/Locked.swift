import Synchronization

/// A value behind a lock, shared by reference between threads and tasks: a connection's
/// reader thread and its callers, a link's state, a test's recorder. The lock is never held
/// across an `await` (the body is synchronous).
///
/// Why a class over `Mutex`: a `Mutex` cannot be copied, so state that several closures and
/// threads capture needs one shared box; this is that box, in the one module every other
/// module already depends on, so nobody writes another.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex = Mutex(())
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, under the lock.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { _ in try body(&value) }
    }
}
