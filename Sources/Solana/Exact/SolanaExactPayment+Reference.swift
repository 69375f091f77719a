// Purse — Solana module (pure).

extension SolanaExactPayment {
    /// The reference the ledger keeps for this payment.
    public var reference: SolanaPaymentReference {
        // The payment was built with one transfer, a memo and the payer's signature.
        SolanaPaymentReference(transaction: transaction)!
    }
}
