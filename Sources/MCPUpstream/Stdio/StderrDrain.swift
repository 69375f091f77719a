// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import Foundation
import PurseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a child's stderr to its end on a thread of its own, always, so that a child that
/// writes a lot (a flood, a crash dump) never blocks on a full pipe and so never stalls the
/// JSON-RPC conversation on its stdout.
///
/// What it read is kept only as a bounded tail (for error messages: why a child failed to
/// start or died) and passed on line by line to `log` at a bounded rate, each line clipped; the
/// rest is counted, and the count reported, never stored.
final class StderrDrain: @unchecked Sendable {
    /// The most bytes of the stream's end kept for error messages.
    static let tailBytes = 4_096
    /// The longest line passed on.
    static let lineChars = 300
    /// How many lines may be passed on per `window`.
    static let linesPerWindow = 20
    static let window: Duration = .seconds(5)

    private let fd: Int32
    private let log: @Sendable (String) -> Void
    private let state = Locked<State>(State())
    private let done = DispatchSemaphore(value: 0)

    private struct State {
        var tail: [UInt8] = []
        var line: [UInt8] = []
        var total = 0
        var windowStart = ContinuousClock.now
        var passedInWindow = 0
        var dropped = 0
    }

    /// Starts draining `fd` (which this object closes at EOF); `log` gets the lines passed on.
    init(fd: Int32, name: String, log: @escaping @Sendable (String) -> Void) {
        self.fd = fd
        self.log = log
        let thread = Thread { [self] in run() }
        thread.name = "purse.upstream-stderr.\(name)"
        thread.start()
    }

    /// The last bytes read, as text with invalid UTF-8 replaced (for error messages).
    var tail: String {
        let bytes = state.withLock { $0.tail }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// How many bytes were read in all.
    var total: Int { state.withLock { $0.total } }

    /// Waits (blocking, bounded) until the stream ended.
    func waitForEnd(_ limit: Duration) {
        let ns = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        if done.wait(timeout: .now() + .nanoseconds(Int(ns))) == .success { done.signal() }
    }

    private func run() {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            consume(chunk[0..<n])
        }
        _ = close(fd)
        let (rest, dropped) = state.withLock { s -> ([UInt8], Int) in
            defer { s.line = [] }
            return (s.line, s.dropped)
        }
        if !rest.isEmpty { pass(rest) }
        if dropped > 0 { log("(\(dropped) more stderr lines not shown)") }
        done.signal()
    }

    private func consume(_ bytes: ArraySlice<UInt8>) {
        var lines: [[UInt8]] = []
        state.withLock { s in
            s.total += bytes.count
            s.tail.append(contentsOf: bytes.suffix(Self.tailBytes))
            if s.tail.count > Self.tailBytes { s.tail.removeFirst(s.tail.count - Self.tailBytes) }
            var rest = bytes
            while let nl = rest.firstIndex(of: 0x0A) {
                if s.line.count < Self.lineChars * 4 { s.line.append(contentsOf: rest[rest.startIndex..<nl].prefix(Self.lineChars * 4 - s.line.count)) }
                let now = ContinuousClock.now
                if now - s.windowStart > Self.window {
                    if s.dropped > 0 { lines.append(Array("(\(s.dropped) stderr lines not shown)".utf8)) }
                    s.windowStart = now
                    s.passedInWindow = 0
                    s.dropped = 0
                }
                if s.passedInWindow < Self.linesPerWindow {
                    s.passedInWindow += 1
                    lines.append(s.line)
                } else {
                    s.dropped += 1
                }
                s.line = []
                rest = rest[rest.index(after: nl)...]
            }
            if s.line.count < Self.lineChars * 4 { s.line.append(contentsOf: rest.prefix(Self.lineChars * 4 - s.line.count)) }
        }
        for l in lines { pass(l) }
    }

    private func pass(_ line: [UInt8]) {
        var text = String(decoding: line, as: UTF8.self)
        text = String(text.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" ? " " : Character($0) })
        text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }
        if text.count > Self.lineChars { text = String(text.prefix(Self.lineChars)) + "…" }
        log(text)
    }
}
