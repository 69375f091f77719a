/// Where a payment row is in its life: `reserved → sent → settled | failed | unknown`.
///
/// Every status but `failed` counts against every budget window.
public enum PaymentStatus: String, Sendable, Codable, CaseIterable {
    /// The amount is held against the budgets, with the authorization's nonce and validity
    /// window. It may already be signed, and sent too when its sent mark trails the answer
    /// (`PaymentLedger.markSentQueued`) and the process died first: reconcile resolves it from the
    /// nonce as it does a `sent` row.
    case reserved
    /// The signed authorization is about to leave, or has left; the row keeps its exact payload.
    case sent
    /// The server (or the chain) confirmed the payment.
    case settled
    /// Released: the payment did not happen and is not charged.
    case failed
    /// The outcome is not known (no answer); `reconcile` asks the chain.
    case unknown

    /// Whether a row in this status counts against budgets.
    public var counts: Bool { self != .failed }

    /// Whether a counting row is still waiting for its outcome (reserved, sent or unknown): what
    /// a session's pending amount adds up.
    public var isPending: Bool { self == .reserved || self == .sent || self == .unknown }
}
