import Solana
import X402

/// The chain's answer to a `SolanaPaymentQuestion`.
///
/// A mint that does not exist or is not a token mint is an answer, not a failure to ask: the
/// option is refused with its own code (`solana.mint_not_found`, `solana.not_a_mint`), before
/// anything is reserved.
public struct SolanaPaymentFacts: Sendable, Equatable {
    /// The mint's program and decimals, or why the account cannot be paid in.
    public let mint: Result<SolanaMint, OptionVerdict.Reason>
    /// A blockhash from `getLatestBlockhash`, when it was asked for.
    public let blockhash: SolanaHash?
    /// The last block height at which `blockhash` is valid, when the node said.
    public let lastValidBlockHeight: UInt64?

    /// Creates an answer.
    public init(mint: Result<SolanaMint, OptionVerdict.Reason>, blockhash: SolanaHash? = nil, lastValidBlockHeight: UInt64? = nil) {
        self.mint = mint
        self.blockhash = blockhash
        self.lastValidBlockHeight = lastValidBlockHeight
    }
}
