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
    /// Approvals given up (timed out) before their request was queued: tag → the reason to send
    /// in the cancellation that must follow the request when it is queued after all.
    private var abandonedApprovals: [String: String] = [:]
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

    /// Remembers the JSON-RPC id of the elicitation request tagged `tag`, as it is queued. When
    /// that approval was already given up (`abandonApproval`), returns the reason instead: the
    /// caller queues the request's cancellation right behind it, so that a prompt the wallet no
    /// longer waits for is never left open in the client.
    func recordApproval(tag: String, id: JSONValue) -> String? {
        lock.withLock {
            if let reason = abandonedApprovals.removeValue(forKey: tag) { return reason }
            approvalIDs[tag] = id
            return nil
        }
    }

    /// Takes (and forgets) the JSON-RPC id of the elicitation request tagged `tag`.
    func takeApprovalID(tag: String) -> JSONValue? {
        lock.withLock { approvalIDs.removeValue(forKey: tag) }
    }

    /// Gives up the approval tagged `tag`: returns its request's id when the request was already
    /// queued (the caller cancels it); otherwise remembers the tag, so that the request, should
    /// it be queued later, is followed by a cancellation with `reason` (`recordApproval`).
    func abandonApproval(tag: String, reason: String) -> JSONValue? {
        lock.withLock {
            if let id = approvalIDs.removeValue(forKey: tag) { return id }
            abandonedApprovals[tag] = reason
            return nil
        }
    }

    private func shouldFinishLocked() -> Bool {
        guard inputEnded, inFlight.isEmpty, !finished else { return false }
        finished = true
        return true
    }
}
