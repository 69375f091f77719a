// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// Why a payment that needed a human's approval did not get it.
public enum ApprovalError: CodedError, Equatable {
    /// The human said no.
    case declined
    /// The human did not answer in time.
    case timedOut
    /// The client cannot ask a human.
    case unsupported

    /// The stable code.
    public var code: String {
        switch self {
        case .declined: "approval.declined"
        case .timedOut: "approval.timeout"
        case .unsupported: "approval.unsupported"
        }
    }

    /// The human-readable explanation.
    public var message: String {
        switch self {
        case .declined: "The payment was declined by the user."
        case .timedOut: "No approval arrived in time; nothing was paid."
        case .unsupported:
            "This payment needs the user's approval, but the MCP client cannot ask (no elicitation support); nothing was paid."
        }
    }
}
