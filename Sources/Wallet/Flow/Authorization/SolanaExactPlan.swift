import PurseCore
import Solana

/// Every value of one Solana `exact` payment, fixed before the reservation: the whole message
/// the payer will sign (fee payer, blockhash, compute budget, transfer, memo).
///
/// Fixing the message is what lets the ledger name the payment before it is signed
/// (`AuthorizationReference.solana`, the message's digest), and the signer signs exactly this
/// message: it rebuilds it from the same inputs and refuses if one byte differs.
public struct SolanaExactPlan: Sendable, Equatable {
    /// The offer's checked terms (mint, payee, amount, fee payer, memo).
    public let terms: SolanaExactTerms
    /// The paying wallet.
    public let payer: SolanaPublicKey
    /// The mint's program and decimals, read from the chain.
    public let mint: SolanaMint
    /// The blockhash the transaction is built on (the offer's, else the node's latest).
    public let recentBlockhash: SolanaHash
    /// The last block height at which it can land, when known: past it, reconcile knows the
    /// transaction never will.
    public let lastValidBlockHeight: UInt64?
    /// The compute-unit limit and price declared.
    public let computeBudget: SolanaComputeBudget
    /// The most micro-lamports per unit the policy allows (checked again when signing).
    public let maxComputeUnitPrice: UInt64
    /// The 16 random bytes of the memo when the seller gives none.
    public let memoNonce: [UInt8]
    /// The message to sign, already checked by `SolanaExactValidator`.
    public let message: SolanaMessageV0
    /// The Unix second after which Purse no longer counts on it landing (the offer's timeout,
    /// capped): a blockhash lives about a minute, so this is an upper bound.
    public let validBefore: Int64

    /// Creates the plan.
    public init(terms: SolanaExactTerms, payer: SolanaPublicKey, mint: SolanaMint, recentBlockhash: SolanaHash, lastValidBlockHeight: UInt64?,
                computeBudget: SolanaComputeBudget, maxComputeUnitPrice: UInt64, memoNonce: [UInt8], message: SolanaMessageV0, validBefore: Int64) {
        self.terms = terms
        self.payer = payer
        self.mint = mint
        self.recentBlockhash = recentBlockhash
        self.lastValidBlockHeight = lastValidBlockHeight
        self.computeBudget = computeBudget
        self.maxComputeUnitPrice = maxComputeUnitPrice
        self.memoNonce = memoNonce
        self.message = message
        self.validBefore = validBefore
    }

    /// The message's digest: the ledger's reference.
    public var digest: SolanaMessageDigest {
        // SHA-256 always gives 32 bytes.
        try! SolanaMessageDigest(bytes: message.digest)
    }
}
