// PurseMCP: the MCP face of the Purse wallet.
import Wallet

/// How the human can be asked about a payment on one request, from what the client declared.
///
/// Every paying tool gets its approver from here (`approver(approvalID:terminal:)`), so a tool
/// added later (an MCP upstream's paid tool) has the same styles and the same `approval_id`
/// handling without code of its own.
enum ApprovalStyle: Sendable {
    /// Handshake revisions: a server-initiated `elicitation/create`; the asker itself checks the
    /// capability declared at `initialize` and answers `.unsupported` without it.
    case elicitation(any ApprovalAsker)
    /// 2026-07-28 with elicitation declared on the request: an input-required round trip.
    case inputRequired(InputRequiredApprover)
    /// No way to ask the client's human: the terminal (`purse approve`).
    case terminal

    /// The approver for one call.
    /// - Parameters:
    ///   - approvalID: the call's `approval_id`: a terminal approval to use (then no other style
    ///     is tried: the human already answered at the terminal).
    ///   - terminal: the backend's terminal approver for an id (nil files a new approval).
    func approver(approvalID: String?, terminal: (String?) -> any PaymentApprover) -> any PaymentApprover {
        if let approvalID { return terminal(approvalID) }
        switch self {
        case let .elicitation(asker):
            return FallbackApprover(first: AskingApprover(asker: asker), fallback: terminal(nil))
        case let .inputRequired(approver):
            return approver
        case .terminal:
            return terminal(nil)
        }
    }
}
