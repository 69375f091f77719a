import Foundation

/// Runs blocking work (a pipe write or read, a thread join) on a thread of its own and awaits it
/// through a continuation, so that it never holds one of the cooperative pool's threads (one per
/// core: two here), which `swift test --parallel` shares with every other suite.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.name = "purse.test.off-pool"
        thread.start()
    }
}
