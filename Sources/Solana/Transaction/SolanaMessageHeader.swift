// Purse — Solana module (pure).

/// The three counts that say which account keys sign and which are writable.
///
/// Keys come in four runs: writable signers, read-only signers, writable non-signers, read-only
/// non-signers. The first key is the fee payer, always a writable signer.
public struct SolanaMessageHeader: Sendable, Hashable {
    /// How many keys must sign (they are the first keys).
    public var numRequiredSignatures: UInt8
    /// How many of the signers are read-only (the last ones among the signers).
    public var numReadonlySignedAccounts: UInt8
    /// How many of the non-signers are read-only (the last keys).
    public var numReadonlyUnsignedAccounts: UInt8

    /// Creates a header.
    public init(numRequiredSignatures: UInt8, numReadonlySignedAccounts: UInt8, numReadonlyUnsignedAccounts: UInt8) {
        self.numRequiredSignatures = numRequiredSignatures
        self.numReadonlySignedAccounts = numReadonlySignedAccounts
        self.numReadonlyUnsignedAccounts = numReadonlyUnsignedAccounts
    }
}
