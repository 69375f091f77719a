// Purse — Solana module (pure).
// Where a Solana key meets the accounts the payment plan and the ledger name.

import PurseCore

extension SolanaPublicKey {
    /// This key as the chain-neutral account the plan and the ledger store (`ChainAccount.solana`).
    public var account: ChainAccount {
        // Both are exactly 32 bytes.
        .solana(try! SolanaAddress(bytes: bytes))
    }

    /// The key of a Solana account named by the plan or the ledger.
    ///
    /// - Throws: `SolanaKeyError.badPublicKey` when `account` is not a Solana account.
    public init(_ account: ChainAccount) throws(SolanaKeyError) {
        guard let solana = account.solanaAddress else { throw .badPublicKey("\(account.family.rawValue) account, not a Solana one") }
        try self.init(bytes: solana.bytes)
    }
}
