import Foundation
import PurseCore

/// One stored terminal approval: the request plus what the human and the wallet did with it.
@dynamicMemberLookup
public struct ApprovalRecord: Sendable, Equatable {
    /// What was asked.
    public var approval: NewApproval
    /// When it was asked (millisecond precision).
    public var createdAt: Date
    /// The stored status (see `state(at:)` for expiry).
    public var status: ApprovalStatus
    /// When the human approved or denied it.
    public var decidedAt: Date?
    /// When a payment used it.
    public var usedAt: Date?
    /// The authorization nonce of the payment that used it (its `payment` row has the same nonce).
    public var usedNonce: String?

    /// Creates a record (the ledger creates them; tests may too).
    public init(approval: NewApproval, createdAt: Date, status: ApprovalStatus, decidedAt: Date? = nil, usedAt: Date? = nil,
                usedNonce: String? = nil) {
        self.approval = approval
        self.createdAt = createdAt
        self.status = status
        self.decidedAt = decidedAt
        self.usedAt = usedAt
        self.usedNonce = usedNonce
    }

    /// A field of the request, read through `approval`.
    public subscript<T>(dynamicMember field: KeyPath<NewApproval, T>) -> T { approval[keyPath: field] }

    /// The state a human sees at `now`: the stored status, or `expired` for a pending or approved
    /// approval whose time has passed.
    public func state(at now: Date) -> String {
        switch status {
        case .pending, .approved: approval.expiresAt <= now ? "expired" : status.rawValue
        case .denied, .used: status.rawValue
        }
    }
}
