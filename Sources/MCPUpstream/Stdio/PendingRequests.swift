// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import Foundation

/// The requests sent on one connection and not yet answered, by id, each with its timer.
///
/// Every entry is resumed exactly once: by its answer, its timeout, its caller's cancellation,
/// a failed write, or the connection's end, whichever comes first. Continuations are resumed
/// outside the lock.
final class PendingRequests: @unchecked Sendable {
    typealias Completion = CheckedContinuation<Result<RPCReply, UpstreamError>, Never>

    private struct Entry {
        let continuation: Completion
        var timer: Task<Void, Never>?
    }

    private let lock = NSLock()
    private var entries: [Int: Entry] = [:]
    private var ended: UpstreamError?
    private var lastID = 0

    /// A fresh request id (1, 2, …).
    func makeID() -> Int {
        lock.withLock {
            lastID += 1
            return lastID
        }
    }

    /// Registers a request; when the connection has ended it is resumed at once with why.
    func register(_ id: Int, _ continuation: Completion) {
        let closed: UpstreamError? = lock.withLock {
            if let ended { return ended }
            entries[id] = Entry(continuation: continuation, timer: nil)
            return nil
        }
        if let closed {
            continuation.resume(returning: .failure(UpstreamError(closed.kind, closed.detail, requestMayHaveBeenSent: false)))
        }
    }

    /// Attaches the timer of a registered request (cancelled at once if it was already answered).
    func setTimer(_ id: Int, _ timer: Task<Void, Never>) {
        let orphan = lock.withLock { () -> Bool in
            guard entries[id] != nil else { return true }
            entries[id]!.timer = timer
            return false
        }
        if orphan { timer.cancel() }
    }

    /// Resumes request `id` with `result`; false when it was no longer open.
    @discardableResult
    func complete(_ id: Int, _ result: Result<RPCReply, UpstreamError>) -> Bool {
        guard let entry = lock.withLock({ entries.removeValue(forKey: id) }) else { return false }
        entry.timer?.cancel()
        entry.continuation.resume(returning: result)
        return true
    }

    /// How many requests are open.
    var count: Int { lock.withLock { entries.count } }

    /// Ends the connection: every open request fails with `error`, and later ones at once.
    func endAll(_ error: UpstreamError) {
        let all = lock.withLock { () -> [Entry] in
            if ended == nil { ended = error }
            defer { entries = [:] }
            return Array(entries.values)
        }
        for e in all {
            e.timer?.cancel()
            e.continuation.resume(returning: .failure(error))
        }
    }
}
