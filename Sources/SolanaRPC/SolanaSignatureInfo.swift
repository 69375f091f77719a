// Purse — SolanaRPC module (edge).

import PurseCore
import Solana

/// One transaction that touched an address (`getSignaturesForAddress`), newest first.
public struct SolanaSignatureInfo: Sendable, Equatable {
    /// The transaction's id (its first signature).
    public var signature: SolanaSignature
    /// The slot it landed in.
    public var slot: UInt64
    /// Its error, nil when it succeeded.
    public var err: JSONValue?
    /// The node's rendering of its memos (`[length] text`, `; `-separated), when it has any.
    public var memo: String?
    /// When it landed (Unix seconds), when known.
    public var blockTime: Int64?
    /// How settled it is, when the node says.
    public var confirmationStatus: SolanaCommitment?

    /// Creates an entry.
    public init(signature: SolanaSignature, slot: UInt64, err: JSONValue?, memo: String?, blockTime: Int64?, confirmationStatus: SolanaCommitment?) {
        self.signature = signature
        self.slot = slot
        self.err = err
        self.memo = memo
        self.blockTime = blockTime
        self.confirmationStatus = confirmationStatus
    }
}
