// Purse — Solana module (pure).

/// A v0 message's reference to accounts held in an on-chain address lookup table.
///
/// Purse never builds one, and its validator refuses any: accounts loaded from a table are not
/// visible in the message, so a transaction using one cannot be checked before signing.
public struct SolanaAddressTableLookup: Sendable, Hashable {
    /// The lookup table account.
    public var accountKey: SolanaPublicKey
    /// Indices in the table of accounts loaded as writable.
    public var writableIndexes: [UInt8]
    /// Indices in the table of accounts loaded as read-only.
    public var readonlyIndexes: [UInt8]

    /// Creates a lookup.
    public init(accountKey: SolanaPublicKey, writableIndexes: [UInt8], readonlyIndexes: [UInt8]) {
        self.accountKey = accountKey
        self.writableIndexes = writableIndexes
        self.readonlyIndexes = readonlyIndexes
    }
}
