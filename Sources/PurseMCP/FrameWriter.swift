// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import PurseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole frames to a file descriptor, in the order queued: inline on the caller's thread
/// when that cannot block, else from one dedicated thread.
///
/// Each frame is written with a loop of blocking `write(2)` calls until every byte is out
/// (EINTR retried; EAGAIN, which only happens if someone else set O_NONBLOCK, waits with
/// `poll(2)`), so a frame is never interleaved with another one and no Swift task ever
/// suspends in the middle of a frame. The descriptor's flags are never changed.
///
/// Why inline: handing every frame to the writer thread cost a thread wake-up per reply, and
/// on a busy 2-core machine the woken thread often waited for a core behind other work, so a
/// tool result left tens to hundreds of microseconds after it was ready. A frame is written
/// inline only when nothing is queued or being written (order), it is at most `PIPE_BUF` bytes
/// and `poll(2)` says the descriptor is writable: a pipe then takes it whole without blocking.
/// Anything else (a bigger frame, a full pipe, a write in progress) goes through the thread.
package final class FrameWriter: @unchecked Sendable {
    private struct Item {
        var bytes: [UInt8]
        var done: (@Sendable (Bool) -> Void)?
    }

    /// The largest frame written inline: what a pipe writes atomically (POSIX `PIPE_BUF`).
    static let inlineLimit = 4096

    private let fd: Int32
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var head = 0
    private var closing = false
    private var failed = false
    private var started = false
    /// A frame is being written (by the thread or inline): nobody else may start one.
    private var writing = false
    /// Frames written so far; the writer thread's quiet-time trim compares it across its wait.
    private var written = 0
    /// Frames were written since the last heap trim (the writer thread trims once quiet).
    private var trimDue = false
    private let stopped = Latch()

    /// Creates a writer for `fd` (not owned: never closed here).
    init(fd: Int32) {
        self.fd = fd
    }

    /// Starts the writer thread (once).
    func start() {
        let first: Bool = condition.withLock {
            defer { started = true }
            return !started
        }
        guard first else { return }
        let thread = Thread { [self] in self.run() }
        thread.name = "purse.stdout-writer"
        thread.start()
    }

    /// Writes or queues a frame (bytes that already end with a newline). `done` is called with
    /// whether the frame was written in full: on this thread when it was written inline, else on
    /// the writer thread; at once with false after a failure or a close.
    func enqueue(_ bytes: [UInt8], done: (@Sendable (Bool) -> Void)? = nil) {
        enum Path { case rejected, queued, inline }
        let path: Path = condition.withLock {
            guard !closing, !failed else { return .rejected }
            if started, !writing, head == queue.count, bytes.count <= Self.inlineLimit, Self.writableNow(fd) {
                writing = true
                return .inline
            }
            queue.append(Item(bytes: bytes, done: done))
            condition.signal()
            return .queued
        }
        switch path {
        case .rejected: done?(false)
        case .queued: break
        case .inline:
            let ok = Self.writeAll(fd, bytes)
            condition.withLock {
                let firstSinceTrim = finishWrite(ok)
                // Wake the thread only when it has something to do: frames queued meanwhile, a
                // close waiting, or a first write since the last trim (it then waits for quiet).
                if head < queue.count || closing || firstSinceTrim { condition.signal() }
            }
            done?(ok)
        }
    }

    /// Writes what is queued, then stops the thread; returns when it has stopped.
    func close() async {
        let wasStarted: Bool = condition.withLock {
            closing = true
            condition.signal()
            return started
        }
        if wasStarted { await stopped.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while (head == queue.count && !closing) || writing {
                guard trimDue, !writing else {
                    condition.wait()
                    continue
                }
                // Quiet for a moment after a burst: hand what it freed back (HeapTrim).
                let before = written
                if !condition.wait(until: Date(timeIntervalSinceNow: HeapTrim.quietSeconds)), head == queue.count, !closing, !writing,
                   written == before {
                    trimDue = false
                    condition.unlock()
                    HeapTrim.release()
                    condition.lock()
                }
            }
            if head == queue.count {
                condition.unlock()
                break
            }
            let item = queue[head]
            head += 1
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            let skip = failed
            writing = !skip
            condition.unlock()

            let ok = !skip && Self.writeAll(fd, item.bytes)
            if !skip { condition.withLock { _ = finishWrite(ok) } }
            item.done?(ok)
        }
        stopped.fire()
    }

    /// Under the lock, after a frame was written (inline or by the thread): the write slot is
    /// free again, a trim is due, and a failed write stops the rest. Returns whether this was the
    /// first write since the last trim.
    private func finishWrite(_ ok: Bool) -> Bool {
        let first = !trimDue
        writing = false
        written &+= 1
        trimDue = true
        if !ok { failed = true }
        return first
    }

    /// Whether `fd` takes a write now without blocking (`poll(2)` with no wait).
    private static func writableNow(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&p, 1, 0) == 1 && p.revents & Int16(POLLOUT) != 0 && p.revents & Int16(POLLERR | POLLHUP | POLLNVAL) == 0
    }

    /// Writes every byte, retrying on EINTR and waiting on EAGAIN; false on any other error. Also
    /// `serve`'s stderr log (`StderrLogHandler`).
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, -1)
                } else {
                    return false
                }
            }
            return true
        }
    }
}
