// Purse — PurseCore (pure).

/// The kinds of chain Purse knows how to name accounts on.
public enum ChainFamily: String, Sendable, Hashable, CaseIterable {
    /// EVM chains (CAIP-2 namespace `eip155`): 20-byte addresses, EIP-55 text.
    case evm
    /// Solana (CAIP-2 namespace `solana`): 32-byte addresses, base58 text.
    case solana
}
