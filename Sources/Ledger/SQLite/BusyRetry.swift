import Dispatch
import Foundation

/// SQLite busy handler that retries promptly until a deadline.
///
/// SQLite's own busy timeout sleeps in growing steps (1, 2, 5, ... up to 100 ms on Linux), so a
/// writer that just missed the lock may sleep 100 ms while the lock is free for most of that time.
/// Reservations hold the write lock for well under a millisecond, so this handler first yields the
/// CPU a few times (`sched_yield`), then sleeps 20–250 µs with random jitter (so contending
/// processes do not retry in lock step), and gives up (SQLITE_BUSY → `ledger.busy`) once the
/// busy timeout has passed since the first try of this wait. Measured with 4 writers on 2
/// cores: sleeps capped at 250 µs gave a worst wait of 13–22 ms, caps of 1 ms gave 25–40 ms.
/// One instance serves one connection; SQLite calls it on that connection's thread only, the lock just keeps Swift's checker content.
final class BusyRetry: @unchecked Sendable {
    private let timeoutNanos: UInt64
    private let lock = NSLock()
    private var episodeStart: UInt64 = 0

    /// Creates a handler that gives up after `timeout` seconds of one continuous wait.
    init(timeout: Double) {
        timeoutNanos = UInt64(max(0, timeout) * 1_000_000_000)
    }

    /// The SQLite busy callback: true to retry, false to fail with SQLITE_BUSY.
    func shouldRetry(_ tries: Int) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        if tries == 0 { episodeStart = now }
        let waited = now &- episodeStart
        lock.unlock()
        guard waited < timeoutNanos else { return false }
        if tries < 8 {
            sched_yield()
        } else {
            let ceiling = UInt32(min(250, 25 << min(tries - 8, 4)))
            usleep(UInt32.random(in: 20...max(20, ceiling)))
        }
        return true
    }
}
