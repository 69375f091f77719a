/// Where a terminal approval is in its life: `pending → approved → used`, or `pending → denied`
/// (an approved one may still be denied before it is used).
///
/// Expiry is not a stored status: an approval is expired when `expiresAt` has passed and it was
/// not used, which every reader computes from the clock it is given (`ApprovalRecord.state(at:)`).
public enum ApprovalStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for the human.
    case pending
    /// The human approved; one payment within the terms may use it.
    case approved
    /// The human refused.
    case denied
    /// A payment used it; it cannot be used again.
    case used
}
