// Purse — SolanaRPC module (edge).

import PurseCore
import Solana

/// A transaction on the chain as `getTransaction` reports it: the transaction itself (parsed by
/// Purse's own reader from the node's base64) and what executing it did.
public struct SolanaTransactionRecord: Sendable, Equatable {
    /// The slot it landed in.
    public var slot: UInt64
    /// When it landed (Unix seconds), when known.
    public var blockTime: Int64?
    /// The transaction, signatures included.
    public var transaction: SolanaTransaction
    /// What executing it did, nil when the node has no status metadata for it.
    public var meta: Meta?

    /// The outcome part of the record.
    public struct Meta: Sendable, Equatable {
        /// The error, nil when it succeeded.
        public var err: JSONValue?
        /// The fee charged to the fee payer, in lamports.
        public var fee: UInt64
        /// Token balances of the token accounts before.
        public var preTokenBalances: [SolanaTokenBalance]
        /// Token balances of the token accounts after.
        public var postTokenBalances: [SolanaTokenBalance]

        /// Creates a meta.
        public init(err: JSONValue?, fee: UInt64, preTokenBalances: [SolanaTokenBalance], postTokenBalances: [SolanaTokenBalance]) {
            self.err = err
            self.fee = fee
            self.preTokenBalances = preTokenBalances
            self.postTokenBalances = postTokenBalances
        }
    }

    /// Creates a record.
    public init(slot: UInt64, blockTime: Int64?, transaction: SolanaTransaction, meta: Meta?) {
        self.slot = slot
        self.blockTime = blockTime
        self.transaction = transaction
        self.meta = meta
    }

    /// The token balance of `account` before and after, in atomic units of `mint`; an account
    /// the node does not list counts as 0 (created or closed by the transaction). Nil without
    /// meta, or when `account` is not among the transaction's keys.
    public func tokenBalances(of account: SolanaPublicKey, mint: SolanaPublicKey) -> (before: UInt64, after: UInt64)? {
        guard let meta, let index = transaction.message.accountKeys.firstIndex(of: account) else { return nil }
        func amount(_ list: [SolanaTokenBalance]) -> UInt64 {
            list.first { $0.accountIndex == index && $0.mint == mint }?.amount.amount ?? 0
        }
        return (amount(meta.preTokenBalances), amount(meta.postTokenBalances))
    }
}
