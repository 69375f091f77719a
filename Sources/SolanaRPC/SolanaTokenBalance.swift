// Purse — SolanaRPC module (edge).

import Solana

/// A token account's balance before or after a transaction (`meta.preTokenBalances` and
/// `meta.postTokenBalances` of `getTransaction`).
public struct SolanaTokenBalance: Sendable, Hashable {
    /// The account's index in the transaction's account keys.
    public var accountIndex: Int
    /// The mint.
    public var mint: SolanaPublicKey
    /// The wallet that owns the token account, when the node says.
    public var owner: SolanaPublicKey?
    /// The token program, when the node says.
    public var programId: SolanaPublicKey?
    /// The balance.
    public var amount: SolanaTokenAmount

    /// Creates a balance.
    public init(accountIndex: Int, mint: SolanaPublicKey, owner: SolanaPublicKey?, programId: SolanaPublicKey?, amount: SolanaTokenAmount) {
        self.accountIndex = accountIndex
        self.mint = mint
        self.owner = owner
        self.programId = programId
        self.amount = amount
    }
}
