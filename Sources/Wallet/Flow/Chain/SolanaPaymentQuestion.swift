import Solana

/// What a Solana `exact` payment needs from the chain before it is planned: the mint's token
/// program and decimals (never taken from the offer), and a recent blockhash unless the offer
/// gave one (`extra.recentBlockhash`).
public struct SolanaPaymentQuestion: Sendable, Equatable {
    /// The CAIP-2 network (which RPC to ask).
    public let network: String
    /// The mint (`asset`).
    public let mint: SolanaPublicKey
    /// Whether to fetch a blockhash (`getLatestBlockhash`): false when the offer carries one.
    public let needsBlockhash: Bool

    /// Creates the question.
    public init(network: String, mint: SolanaPublicKey, needsBlockhash: Bool) {
        self.network = network
        self.mint = mint
        self.needsBlockhash = needsBlockhash
    }
}
