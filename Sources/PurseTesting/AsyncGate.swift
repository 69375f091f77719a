// PurseTesting: limits how many heavy start-ups (Python processes) tests run at once.

import Foundation

/// At most `permits` holders at a time; the others wait (suspended, not blocking a thread).
///
/// Running blocking waits off the pool removes the pool's accidental limit of two at a time, so
/// without a gate every test would start its Python process at once and the 2-core machine
/// would thrash (servers then miss their start-up deadline).
public final class AsyncGate: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(permits: Int) {
        free = permits
    }

    /// Runs `body` holding a permit.
    public func withPermit<T>(_ body: () async throws -> T) async rethrows -> T {
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
