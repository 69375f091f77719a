import Dispatch
import Foundation

/// A kernel-queued lock that reservations take before `BEGIN IMMEDIATE`, so that contending
/// processes sleep until the lock is free instead of polling SQLite's.
///
/// SQLite's write lock cannot be waited on: a process that finds it taken retries from its busy
/// handler, and whatever the retry interval, some time passes between the holder's commit and
/// the next writer's start. `flock(2)` on a side file (`<db>-reserve.lock`, mode 0600) wakes a
/// waiter as soon as the holder releases it. Correctness never depends on this gate: SQLite's own
/// lock still serializes the transaction, and the gate is skipped (not waited on) if the side
/// file cannot be opened. The kernel drops the lock when a process dies, so a crash cannot wedge it.
final class ReservationGate: @unchecked Sendable {
    private let fd: Int32
    private let local = NSLock()
    private var lastRelease: UInt64 = 0
    /// When this process last found the gate taken (uptime nanoseconds; 0: never).
    private var lastContention: UInt64 = 0

    /// Opens (creating if needed) the side file of the database at `path`.
    init(databasePath path: String) {
        fd = open(path + "-reserve.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Runs `body` holding the gate (this process's threads take turns; processes queue in the kernel).
    func withGate<T>(_ body: () throws -> T) rethrows -> T {
        local.lock()
        defer { local.unlock() }
        guard fd >= 0 else { return try body() }
        // flock wakes every waiter and is not FIFO: a process that comes straight back for the
        // gate re-locks before the waiter the kernel just woke can run, and the others starve
        // (4 processes in a tight loop saw 100–170 ms waits). A process that released the gate
        // less than 200 µs ago therefore pauses 50 µs first (worst waits fell to ~5 ms), but
        // only when the ledger is contended: this process found the gate taken within the last
        // second, or another process is waiting now (waiters announce themselves in a waiting
        // room, a shared POSIX record lock on the same file, which flock ignores). A process
        // alone on the ledger never pauses. A payment's reservation never pays this: network
        // round trips separate a process's reservations.
        let now = DispatchTime.now().uptimeNanoseconds
        if now &- lastRelease < 200_000, lastContention != 0 && now &- lastContention < 1_000_000_000 || othersWaiting() {
            usleep(50)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            lastContention = DispatchTime.now().uptimeNanoseconds
            waitingRoom(F_RDLCK)
            defer { waitingRoom(F_UNLCK) }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { return try body() }
            }
        }
        defer {
            _ = flock(fd, LOCK_UN)
            lastRelease = DispatchTime.now().uptimeNanoseconds
        }
        return try body()
    }

    /// Enters (`F_RDLCK`) or leaves (`F_UNLCK`) the waiting room: a shared lock on byte 0.
    private func waitingRoom(_ type: Int32) {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        _ = fcntl(fd, F_SETLK, &lock)
    }

    /// Whether another process is in the waiting room (F_GETLK reports a lock that would
    /// conflict with an exclusive one; a process's own locks never do).
    private func othersWaiting() -> Bool {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return true }
        return lock.l_type != Int16(F_UNLCK)
    }
}
