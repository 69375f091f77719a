// Purse — SolanaRPC module (edge).

/// A token balance in atomic units and the mint's decimals (`getTokenAccountBalance`, and the
/// `uiTokenAmount` of a transaction's token balances). The node's float `uiAmount` is ignored.
public struct SolanaTokenAmount: Sendable, Hashable {
    /// The amount in atomic units.
    public var amount: UInt64
    /// The mint's decimals.
    public var decimals: UInt8

    /// Creates an amount.
    public init(amount: UInt64, decimals: UInt8) {
        self.amount = amount
        self.decimals = decimals
    }
}
