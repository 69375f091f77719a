// Purse — Solana module (pure).

/// The two token programs an x402 `exact` payment may use.
///
/// A mint belongs to one of them (the mint account's owner says which), and the payer's and the
/// payee's token accounts, and the `TransferChecked` instruction, must use the same one.
public enum SolanaTokenProgram: String, Sendable, Hashable, CaseIterable, Codable {
    /// SPL Token (`Tokenkeg…`), which holds USDC on mainnet and devnet.
    case token
    /// Token-2022 (`Tokenz…`), SPL Token with extensions.
    case token2022

    /// The program's address.
    public var id: SolanaPublicKey {
        switch self {
        case .token: .tokenProgram
        case .token2022: .token2022Program
        }
    }

    /// The token program whose address is `id`, or nil for any other program.
    public init?(id: SolanaPublicKey) {
        guard let match = Self.allCases.first(where: { $0.id == id }) else { return nil }
        self = match
    }
}
