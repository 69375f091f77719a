// Purse — SolanaRPC module (edge).

import Solana

/// A recent blockhash to build a transaction on, and when it stops being accepted.
public struct SolanaLatestBlockhash: Sendable, Hashable {
    /// The blockhash.
    public var blockhash: SolanaHash
    /// The last block height at which a transaction using it can still land. Once the chain is
    /// past it, a transaction built on it that is not on the chain never will be: reconcile can
    /// call such a payment failed.
    public var lastValidBlockHeight: UInt64
    /// The slot the node answered at.
    public var slot: UInt64

    /// Creates a blockhash answer.
    public init(blockhash: SolanaHash, lastValidBlockHeight: UInt64, slot: UInt64) {
        self.blockhash = blockhash
        self.lastValidBlockHeight = lastValidBlockHeight
        self.slot = slot
    }
}
