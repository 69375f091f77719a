// Runs blocking waits off Swift's cooperative pool, for the HTTP integration tests.

import Foundation

/// Runs blocking work (waiting for a child process, a pipe, a socket) on a thread of its own and
/// awaits it through a continuation.
///
/// Swift's cooperative pool has one thread per core, two on the project's machine, and
/// `swift test --parallel` shares it between every suite. A test that blocks one of those threads
/// starves the others (the MCP pipe tests time out); a dedicated thread does not.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}

/// `offPool` for work that cannot fail.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}

/// A child process's exit as an event: `wait(timeout:)` blocks until the process has exited
/// (reported by `Process.terminationHandler`), with no polling.
final class ExitSignal: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var exited = false

    /// Installs the handler; call before `process.run()`.
    init(_ process: Process) {
        process.terminationHandler = { [self] _ in
            lock.withLock { exited = true }
            semaphore.signal()
        }
    }

    /// Whether the process has exited.
    var hasExited: Bool { lock.withLock { exited } }

    /// Blocks (off the pool!) until the process exits or `seconds` pass; true if it exited.
    func wait(seconds: Double) -> Bool {
        if hasExited { return true }
        guard semaphore.wait(timeout: .now() + seconds) == .success else { return false }
        semaphore.signal()  // keep the event set for later waiters
        return true
    }
}

/// At most `permits` holders at a time; the others wait (suspended, not blocking a thread).
///
/// Running blocking waits off the pool removes the pool's accidental limit of two at a time, so
/// without a gate every test would start its Python process at once and the 2-core machine
/// would thrash (servers then miss their start-up deadline).
final class AsyncGate: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) {
        free = permits
    }

    /// Runs `body` holding a permit.
    func withPermit<T>(_ body: () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if free > 0 {
                    free -= 1
                    return true
                }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func leave() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiters.isEmpty {
                free += 1
                return nil
            }
            return waiters.removeFirst()
        }
        next?.resume()
    }
}
