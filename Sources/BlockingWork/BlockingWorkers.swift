import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A task executor whose threads may block: a task that prefers it (`Task(executorPreference:)`,
/// `withTaskExecutorPreference`) runs its blocking calls (a ledger commit's fsync, a libcurl
/// transfer) inline on the thread it is on, instead of handing each one to a dispatch queue and
/// waiting to be resumed.
///
/// Why: a paid request makes four such calls (the two HTTP round trips, the reservation, the
/// `sent` mark). Each hand-off cost two thread wake-ups (there, and back onto Swift's pool), 30–40
/// µs each on a 2-core machine; without them a paid request in process took 1.28–1.32 ms
/// against 1.36–1.45 (interleaved runs). The hand-offs exist because Swift's cooperative pool has
/// one thread per core and must never block; these threads are not that pool, so blocking here
/// stalls nobody. A job that arrives while every thread is busy (blocked or running) gets a new
/// thread, up to `maxThreads`; a thread idle for `idleSeconds` ends, except the last one alive,
/// which waits without waking.
///
/// Blocking calls ask `isCurrentThread` and keep their hand-off when it is false, so code run
/// without the preference (the reconciler's task, the SDK's handlers, tests) is unchanged.
public final class BlockingWorkers: TaskExecutor, @unchecked Sendable {
    /// The process's one instance.
    public static let shared = BlockingWorkers()

    /// The most threads at once; beyond it, jobs wait for a thread to come free.
    public let maxThreads: Int
    /// How long a thread other than the last one alive waits for work before it ends.
    public let idleSeconds: Double

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    /// Creates an executor (`shared` is the one the product uses; tests make their own).
    public init(maxThreads: Int = 64, idleSeconds: Double = 10) {
        precondition(maxThreads > 0, "an executor needs a thread")
        self.maxThreads = maxThreads
        self.idleSeconds = idleSeconds
    }

    /// Whether the calling thread is one of a `BlockingWorkers`' threads, where a blocking call
    /// may run inline.
    public static var isCurrentThread: Bool { current != nil }

    /// The executor whose thread this is, if any: what a task started here passes as its
    /// `executorPreference` to keep running inline (unstructured tasks inherit no preference).
    public static var current: BlockingWorkers? {
        pthread_getspecific(threadKey).map { Unmanaged<BlockingWorkers>.fromOpaque($0).takeUnretainedValue() }
    }

    /// A pthread key, not `Thread.threadDictionary`: this is asked on every enqueue and every
    /// blocking call, and the dictionary bridges through Foundation.
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no pthread key left")
        return key
    }()

    /// Threads now alive (for tests and diagnostics).
    public var threadCount: Int { condition.withLock { threads } }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let local = Self.current === self
        let spawn: Bool = condition.withLock {
            jobs.append(unowned)
            // From one of our own threads (a task starting a child, or resuming one it waits
            // for), the job waits for this thread: it takes it as soon as its current job ends
            // or suspends, and `willBlock` hands it on before any blocking call. Waking another
            // thread here made two threads race for one job on every hand-over.
            if local { return false }
            return handOut()
        }
        if spawn { startThread() }
    }

    /// Runs the blocking `body` and returns its result to the awaiting task: inline when called on
    /// one of these threads (after `willBlock`), else on `queue`, off Swift's cooperative pool.
    /// The one place that decides, for the ledger's calls (`LedgerWork`) and libcurl's transfers.
    public static func blocking<T: Sendable, E: Error>(handingOffTo queue: DispatchQueue,
                                                       _ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        if isCurrentThread {
            willBlock()
            return try body()
        }
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }

    /// Called on one of these threads right before a blocking call: the jobs queued behind this
    /// thread get threads of their own, since this one will be busy for a while.
    public static func willBlock() {
        guard let workers = current else { return }
        let spawn: Bool = workers.condition.withLock { workers.handOut() }
        if spawn { workers.startThread() }
    }

    /// Under the lock: wakes an idle thread for the waiting jobs, or says to start one.
    private func handOut() -> Bool {
        // Each idle thread takes one waiting job; a job beyond them needs a new thread.
        let waiting = jobs.count - head
        for _ in 0..<min(waiting, idle) { condition.signal() }
        guard waiting > idle, threads < maxThreads else { return false }
        threads += 1
        return true
    }

    private func startThread() {
        let thread = Thread { [self] in
            // Unretained: every executor in use lives for the process (`shared`) or the test.
            pthread_setspecific(Self.threadKey, Unmanaged.passUnretained(self).toOpaque())
            work()
        }
        thread.name = "purse.blocking"
        thread.start()
    }

    /// A thread's life: run jobs in order until idle for `idleSeconds` (never, for the last one).
    private func work() {
        let executor = asUnownedTaskExecutor()
        condition.lock()
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                condition.unlock()
                job.runSynchronously(on: executor)
                condition.lock()
                continue
            }
            idle += 1
            let woken: Bool
            if threads == 1 {
                condition.wait()
                woken = true
            } else {
                woken = condition.wait(until: Date(timeIntervalSinceNow: idleSeconds))
            }
            idle -= 1
            if !woken, head == jobs.count, threads > 1 {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}
