// Purse — SolanaRPC module (edge).

import PurseCore

/// What `getSignatureStatuses` knows of one transaction.
public struct SolanaSignatureStatus: Sendable, Equatable {
    /// The slot it was processed in.
    public var slot: UInt64
    /// Blocks since, or nil once rooted.
    public var confirmations: UInt64?
    /// The transaction's error, or nil when it succeeded. A failed transaction is on the chain
    /// (its fee was paid) but moved no tokens.
    public var err: JSONValue?
    /// How settled it is, when the node says (nil from very old nodes).
    public var confirmationStatus: SolanaCommitment?

    /// Creates a status.
    public init(slot: UInt64, confirmations: UInt64?, err: JSONValue?, confirmationStatus: SolanaCommitment?) {
        self.slot = slot
        self.confirmations = confirmations
        self.err = err
        self.confirmationStatus = confirmationStatus
    }

    /// Whether it executed without error.
    public var succeeded: Bool { err == nil }
}
