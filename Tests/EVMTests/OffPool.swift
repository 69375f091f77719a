// Purse — EVM tests.

import Foundation

/// Runs blocking work (a child process, a pipe read) on a thread of its own and awaits it through
/// a continuation.
///
/// Swift's cooperative pool has one thread per core, two on the project's machine, and
/// `swift test --parallel` shares it between every suite. A test that blocks one of those threads
/// waiting for Python starves the others (the MCP pipe tests time out); a dedicated thread does
/// not.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}
