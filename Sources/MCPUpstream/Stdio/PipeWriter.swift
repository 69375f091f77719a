// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole messages to a child's stdin, in order, without ever blocking the caller.
///
/// The descriptor is non-blocking (it is Purse's own end of a private pipe, so no one else sees
/// the flag). A message is written at once on the calling thread when the pipe has room — the
/// common case, and no thread hop on a gateway's hot path; whatever does not fit goes to a
/// serial queue that waits for room (`poll`), and later messages queue behind it, so a child that
/// stops reading delays only its own requests (which time out) and never a cooperative thread.
final class PipeWriter: @unchecked Sendable {
    private let fd: Int32
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var queued = 0
    private var closed = false

    init(fd: Int32, name: String) {
        self.fd = fd
        self.queue = DispatchQueue(label: "purse.upstream-writer.\(name)")
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Writes `bytes`; `done` gets nil when all were written, or how many were written before the
    /// pipe failed (the child closed it). `done` runs on the caller's thread or on the queue.
    func write(_ bytes: [UInt8], done: @escaping @Sendable (Int?) -> Void) {
        lock.lock()
        if closed {
            lock.unlock()
            done(0)
            return
        }
        if queued == 0 {
            switch attempt(bytes, from: 0) {
            case .all:
                lock.unlock()
                done(nil)
                return
            case let .failed(written):
                lock.unlock()
                done(written)
                return
            case let .full(written):
                queued += 1
                lock.unlock()
                queue.async { self.finish(bytes, from: written, done: done) }
                return
            }
        }
        queued += 1
        lock.unlock()
        queue.async { self.finish(bytes, from: 0, done: done) }
    }

    /// Stops writing: later messages fail at once.
    func close() {
        lock.withLock { closed = true }
    }

    private enum Attempt { case all, full(Int), failed(Int) }

    private func attempt(_ bytes: [UInt8], from start: Int) -> Attempt {
        var done = start
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .full(done) }
                return .failed(done)
            }
            done += n
        }
        return .all
    }

    private func finish(_ bytes: [UInt8], from start: Int, done: @escaping @Sendable (Int?) -> Void) {
        var written = start
        var result: Int?
        while true {
            if lock.withLock({ closed }) { result = written; break }
            switch attempt(bytes, from: written) {
            case .all: result = nil
            case let .failed(n): result = n
            case let .full(n):
                written = n
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 1_000)  // wakes at least every second to see a close
                continue
            }
            break
        }
        lock.withLock { queued -= 1 }
        done(result)
    }
}
