import Foundation
import PurseCore

/// Why a terminal approval could not be decided or used. Codes are `approval.*` and stable:
/// the agent repeating a call with an `approval_id` is told exactly which case it hit.
public enum ApprovalError: CodedError, Equatable {
    /// No approval has this id (or the id is malformed).
    case unknown(id: String)
    /// The human has not approved it yet.
    case pending(id: String)
    /// The human denied it.
    case denied(id: String)
    /// Its time ran out before it was used.
    case expired(id: String, at: Date)
    /// A payment already used it.
    case used(id: String)
    /// The payment is not within the approved terms (what differs).
    case mismatch(id: String, detail: String)
    /// The ledger failed.
    case ledger(LedgerError)

    public var code: String {
        switch self {
        case .unknown: "approval.unknown"
        case .pending: "approval.pending"
        case .denied: "approval.denied"
        case .expired: "approval.expired"
        case .used: "approval.reused"
        case .mismatch: "approval.mismatch"
        case let .ledger(e): e.code
        }
    }

    public var message: String {
        switch self {
        case let .unknown(id):
            "no approval has the id \(id); nothing was paid"
        case let .pending(id):
            "approval \(id) has not been approved yet: ask the human to run `purse approve \(id)`, then call again with the same approval_id"
        case let .denied(id):
            "the human denied approval \(id); nothing was paid"
        case let .expired(id, at):
            "approval \(id) expired at \(ApprovalError.timestamp(at)); nothing was paid (call again without approval_id to ask anew)"
        case let .used(id):
            "approval \(id) was already used by a payment; an approval pays once (call again without approval_id to ask anew)"
        case let .mismatch(id, detail):
            "this payment is not the one approved as \(id): \(detail); nothing was paid"
        case let .ledger(e):
            e.message
        }
    }

    /// An ISO 8601 UTC time, as every face shows `expiresAt`.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
