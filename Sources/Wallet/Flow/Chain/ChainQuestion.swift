import PurseCore

/// A read-only question the flow asks the chain before it can fix a plan.
///
/// Some payment methods depend on chain state the offer does not carry (a Permit2 allowance,
/// a token's EIP-2612 nonce; for Solana, a mint's program and a recent blockhash). The flow
/// asks with `FlowAction.readChain`, the driver answers with `PaymentFlow.chainAnswered`, and a
/// dry run (`quote`, discovery) asks the same questions, so its verdict is the payment's.
/// Nothing is signed or sent to the seller meanwhile.
public enum ChainQuestion: Sendable, Equatable {
    /// Permit2: how much the payer has approved Permit2 to spend, and what an EIP-2612 permit
    /// would need when that is short.
    case permit2Allowance(Permit2AllowanceQuestion)
}
