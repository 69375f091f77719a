import Foundation
import Testing
@testable import BlockingWork

@Suite struct BlockingWorkersTests {
    @Test("a task that prefers the executor runs on its threads; one without does not")
    func preferenceDecidesTheThread() async {
        let workers = BlockingWorkers(maxThreads: 4, idleSeconds: 1)
        let inside = await withTaskExecutorPreference(workers) { BlockingWorkers.isCurrentThread }
        #expect(inside)
        let outside = await Task.detached { BlockingWorkers.isCurrentThread }.value
        #expect(!outside)
    }
}

extension BlockingWorkersTests {
    /// Waits for `semaphore` with a bound; false when the bound passed.
    private static func waited(_ semaphore: DispatchSemaphore, seconds: Double = 20) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }

    @Test("a job queued behind a thread that then blocks (after willBlock) runs on another thread")
    func willBlockHandsQueuedJobsOn() async {
        let workers = BlockingWorkers(maxThreads: 4, idleSeconds: 1)
        let childRan = DispatchSemaphore(value: 0)
        let ok = await withTaskExecutorPreference(workers) { () async -> Bool in
            // Queued from this thread: it waits for this thread unless handed on.
            let child = Task(executorPreference: BlockingWorkers.current) { childRan.signal() }
            BlockingWorkers.willBlock()
            let ran = Self.waited(childRan)
            await child.value
            return ran
        }
        #expect(ok)
    }

    @Test("eight tasks that all block until all eight have arrived each get a thread; idle ones then end")
    func threadsGrowWhileBlockedAndShrinkWhenIdle() async {
        let workers = BlockingWorkers(maxThreads: 16, idleSeconds: 0.2)
        let count = 8
        let arrivals = Arrivals()
        let everyone = DispatchSemaphore(value: 0)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask(executorPreference: workers) {
                    BlockingWorkers.willBlock()
                    let last = arrivals.arrive() == count
                    if last { for _ in 0..<count { everyone.signal() } }
                    return Self.waited(everyone)
                }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results == Array(repeating: true, count: count))
        // Idle threads beyond the first end after idleSeconds; bounded wait for it.
        let deadline = Date(timeIntervalSinceNow: 20)
        while workers.threadCount > 1, Date() < deadline { _ = Self.waited(DispatchSemaphore(value: 0), seconds: 0.05) }
        #expect(workers.threadCount == 1)
    }
}

/// Counts arrivals from many threads.
private final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// Counts one arrival and returns how many there have been.
    func arrive() -> Int { lock.withLock { count += 1; return count } }
}
