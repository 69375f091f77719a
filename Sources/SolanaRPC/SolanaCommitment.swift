// Purse — SolanaRPC module (edge).

/// How settled a state must be for the node to report it.
public enum SolanaCommitment: String, Sendable, Hashable, CaseIterable {
    /// Seen by the node, may still be dropped.
    case processed
    /// Voted on by a supermajority; practically final (about a second after processing).
    case confirmed
    /// Rooted: cannot be rolled back (about 13 seconds after processing).
    case finalized
}
