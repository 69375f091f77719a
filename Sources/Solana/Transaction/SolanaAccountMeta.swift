// Purse — Solana module (pure).

/// One account an instruction touches, and how.
public struct SolanaAccountMeta: Sendable, Hashable {
    /// The account.
    public var publicKey: SolanaPublicKey
    /// Whether the transaction must carry this account's signature.
    public var isSigner: Bool
    /// Whether the instruction may change the account.
    public var isWritable: Bool

    /// Creates an account reference.
    public init(_ publicKey: SolanaPublicKey, isSigner: Bool, isWritable: Bool) {
        self.publicKey = publicKey
        self.isSigner = isSigner
        self.isWritable = isWritable
    }
}
