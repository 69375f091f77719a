// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import PurseCore

/// Counts requests in and responses out, and says when the input may be declared finished:
/// after EOF and once every request read has been answered or cancelled.
///
/// Called from the reader thread, the writer thread and tasks, so it is guarded by a lock.
final class RequestTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight: Set<String> = []
    private var inputEnded = false
    private var finished = false
    private var approvalIDs: [String: JSONValue] = [:]
    private let onFinish: @Sendable () -> Void

    /// Creates a tracker that calls `onFinish` exactly once, when input ended and nothing is in flight.
    init(onFinish: @escaping @Sendable () -> Void) {
        self.onFinish = onFinish
    }


    /// Records requests read.
    func received(_ keys: [String]) {
        guard !keys.isEmpty else { return }
        lock.withLock { inFlight.formUnion(keys) }
    }

    /// Records requests answered (a response was written, or failed to be) or cancelled.
    func settled(_ keys: [String]) {
        guard !keys.isEmpty else { return }
        let finish: Bool = lock.withLock {
            inFlight.subtract(keys)
            return shouldFinishLocked()
        }
        if finish { onFinish() }
    }

    /// Records that the input reached EOF.
    func endOfInput() {
        let finish: Bool = lock.withLock {
            inputEnded = true
            return shouldFinishLocked()
        }
        if finish { onFinish() }
    }

    /// Remembers the JSON-RPC id of the elicitation request tagged `tag`.
    func recordApproval(tag: String, id: JSONValue) {
        lock.withLock { approvalIDs[tag] = id }
    }

    /// Takes (and forgets) the JSON-RPC id of the elicitation request tagged `tag`.
    func takeApprovalID(tag: String) -> JSONValue? {
        lock.withLock { approvalIDs.removeValue(forKey: tag) }
    }

    private func shouldFinishLocked() -> Bool {
        guard inputEnded, inFlight.isEmpty, !finished else { return false }
        finished = true
        return true
    }
}
