// PurseMCP: the MCP face of the Purse wallet.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole frames to a file descriptor from one dedicated thread, in the order queued.
///
/// Each frame is written with a loop of blocking `write(2)` calls until every byte is out
/// (EINTR retried; EAGAIN, which only happens if someone else set O_NONBLOCK, waits with
/// `poll(2)`), so a frame is never interleaved with another one and no Swift task ever
/// suspends or blocks in the middle of a frame. The descriptor's flags are never changed.
final class FrameWriter: @unchecked Sendable {
    private struct Item {
        var bytes: [UInt8]
        var done: (@Sendable (Bool) -> Void)?
    }

    private let fd: Int32
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var head = 0
    private var closing = false
    private var failed = false
    private var started = false
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

    /// Queues a frame (bytes that already end with a newline). `done` is called on the writer
    /// thread with whether the frame was written in full; at once with false after a failure or
    /// a close.
    func enqueue(_ bytes: [UInt8], done: (@Sendable (Bool) -> Void)? = nil) {
        let accepted: Bool = condition.withLock {
            guard !closing, !failed else { return false }
            queue.append(Item(bytes: bytes, done: done))
            condition.signal()
            return true
        }
        if !accepted { done?(false) }
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
        var wroteSinceTrim = false
        while true {
            condition.lock()
            while head == queue.count && !closing {
                guard wroteSinceTrim else {
                    condition.wait()
                    continue
                }
                // Quiet for a moment after a burst: hand what it freed back (HeapTrim).
                if !condition.wait(until: Date(timeIntervalSinceNow: HeapTrim.quietSeconds)), head == queue.count, !closing {
                    wroteSinceTrim = false
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
            condition.unlock()

            let ok = !skip && Self.writeAll(fd, item.bytes)
            wroteSinceTrim = true
            if !ok && !skip { condition.withLock { failed = true } }
            item.done?(ok)
        }
        stopped.fire()
    }

    /// Writes every byte, retrying on EINTR and waiting on EAGAIN; false on any other error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
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
