// PurseTesting: blocking waits off Swift's cooperative pool, for every test target.

import Foundation

/// Runs blocking work (waiting for a child process, a pipe, a socket) on a thread of its own and
/// awaits it through a continuation.
///
/// Swift's cooperative pool has one thread per core, two on the project's machine, and
/// `swift test --parallel` shares it between every suite. A test that blocks one of those threads
/// starves the others (the MCP pipe tests time out); a dedicated thread does not.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}

/// `offPool` for work that cannot fail.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}
