// Purse — SolanaRPC module (edge).
// Finding an `exact` payment on the chain, for reconcile.

import Solana

extension SolanaRPCClient {
    /// The transaction of a payment, or nil when the node has none (yet).
    ///
    /// With the receipt's transaction id, one `getTransaction`. Without it (the receipt was lost),
    /// the newest `limit` transactions of the payer's token account are listed, those showing
    /// the payment's memo are fetched, and the first whose slot 1 is the payer's signature wins.
    /// Either way the record is returned only if `reference.matches` it, so a wrong id in a
    /// receipt cannot make another transaction count as the payment.
    ///
    /// What the record then says is for the caller to judge: `meta.err == nil` means it settled
    /// (the tokens moved); an error means it landed and failed (the fee was charged, no token
    /// moved). Nil while the blockhash is still valid means "not yet"; nil once
    /// `getBlockHeight()` is past the blockhash's `lastValidBlockHeight` means it never will.
    public func findPayment(
        _ reference: SolanaPaymentReference, transactionId: SolanaSignature? = nil, limit: Int = 100,
        commitment: SolanaCommitment = .confirmed
    ) async throws(SolanaRPCError) -> SolanaTransactionRecord? {
        if let transactionId {
            guard let record = try await getTransaction(transactionId, commitment: commitment) else { return nil }
            return reference.matches(record.transaction) ? record : nil
        }
        let candidates = try await getSignaturesForAddress(reference.source, limit: limit, commitment: commitment)
        for candidate in candidates where reference.memoAppears(in: candidate.memo) {
            if let record = try await getTransaction(candidate.signature, commitment: commitment), reference.matches(record.transaction) {
                return record
            }
        }
        return nil
    }
}
