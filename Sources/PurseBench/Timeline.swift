import Foundation

/// The spans of one paid request, recorded by the timed ledger and HTTP client around the real
/// ones, so that `purse-bench e2e` can show where a request's time goes without a probe in the
/// driver itself.
final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private var origin = 0.0
    private var spans: [(name: String, start: Double, end: Double)] = []

    /// Starts a new request: later spans are relative to now.
    func begin() {
        lock.lock()
        origin = nowMs()
        spans.removeAll(keepingCapacity: true)
        lock.unlock()
    }

    /// Times `body` as the span `name`.
    func span<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let t0 = nowMs()
        defer { record(name, t0, nowMs()) }
        return try body()
    }

    /// Times the async `body` as the span `name`.
    func span<T, E: Error>(_ name: String, _ body: () async throws(E) -> T) async throws(E) -> T {
        let t0 = nowMs()
        defer { record(name, t0, nowMs()) }
        return try await body()
    }

    private func record(_ name: String, _ start: Double, _ end: Double) {
        lock.lock()
        spans.append((name, start - origin, end - origin))
        lock.unlock()
    }

    /// The spans so far, in the order they started, with the gaps between them named after the
    /// work the driver does there (`gap before <span>`), ending at `end` (ms after `begin`).
    func segments(end: Double) -> [(name: String, ms: Double)] {
        lock.lock()
        let sorted = spans.sorted { $0.start < $1.start }
        lock.unlock()
        var out: [(String, Double)] = []
        var at = 0.0
        for s in sorted {
            if s.start > at { out.append(("driver before " + s.name, s.start - at)) }
            out.append((s.name, s.end - s.start))
            at = max(at, s.end)
        }
        if end > at { out.append(("driver after the last span", end - at)) }
        return out
    }
}
