// Purse — Solana module (pure).
// The payment's message fixed before the reservation, so the ledger can name it before signing.

import Crypto

extension SolanaExactPayment {
    /// The compute budget of a payment: the seller's price hint (`terms.computeUnitPrice`) or
    /// the SDK's, and a unit limit that covers the memo (`SolanaComputeBudget.forMemo`).
    ///
    /// - Throws: `SolanaExactError` `.computePriceTooHigh` when the hint is above
    ///   `maxComputeUnitPrice` (nothing is signed for a price the facilitator would refuse or
    ///   that the human capped), `.computeLimitTooHigh` for a memo no limit covers, `.badMemo`
    ///   for a nonce that is not 16 bytes.
    public static func computeBudget(terms: SolanaExactTerms, memoNonce: [UInt8], maxComputeUnitPrice: UInt64) throws(SolanaExactError) -> SolanaComputeBudget {
        let price = terms.computeUnitPrice ?? SolanaComputeBudget.sdkDefault.unitPriceMicroLamports
        guard price <= maxComputeUnitPrice else {
            throw SolanaExactError(.computePriceTooHigh, "the offer asks for a compute-unit price of \(price) micro-lamports, over the cap of \(maxComputeUnitPrice)")
        }
        return try SolanaComputeBudget.forMemo(try memo(terms: terms, nonce: memoNonce), unitPriceMicroLamports: price)
    }

    /// The message `build` signs for these inputs, checked by `SolanaExactValidator`: what a
    /// payment plan fixes before the reservation. `build` with the same inputs signs exactly it.
    ///
    /// - Throws: `SolanaExactError` (the validator's refusals, `.feePayerIsPayer` first).
    public static func plannedMessage(
        terms: SolanaExactTerms, payer: SolanaPublicKey, mint: SolanaMint, recentBlockhash: SolanaHash,
        computeBudget: SolanaComputeBudget, maxComputeUnitPrice: UInt64, memoNonce: [UInt8]
    ) throws(SolanaExactError) -> SolanaMessageV0 {
        let message = try unsignedMessage(terms: terms, payer: payer, mint: mint, recentBlockhash: recentBlockhash,
                                          computeBudget: computeBudget, memoNonce: memoNonce)
        try SolanaExactValidator(terms: terms, payer: payer, mint: mint, maxComputeUnitPrice: maxComputeUnitPrice).validate(message)
        let size = SolanaTransaction(unsigned: message).serialized().count
        guard size <= SolanaTransaction.maxSize else { throw SolanaExactError(.transaction, SolanaTransactionError.tooLarge(size).message) }
        return message
    }
}

extension SolanaMessageV0 {
    /// SHA-256 of the serialized message: the payment's name before it is signed.
    public var digest: [UInt8] { Array(SHA256.hash(data: serialized())) }
}
