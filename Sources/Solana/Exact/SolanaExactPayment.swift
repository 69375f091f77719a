// Purse — Solana module (pure).
// The x402 `exact` payment on Solana: a partially signed v0 transaction, as the SDK client builds it.

import PurseCore

/// A partially signed payment transaction for an x402 `exact` offer on Solana, ready to send.
///
/// Built as the x402 SDK client (2.25) builds it, so the bytes are the same for the same inputs:
/// `SetComputeUnitLimit`, `SetComputeUnitPrice`, `TransferChecked` of exactly the amount from the
/// payer's ATA to the payee's ATA with the mint's decimals, then a Memo (the seller's
/// `extra.memo`, else 16 random bytes as 32 hex digits, which makes each transaction unique).
/// The fee payer is the facilitator's `extra.feePayer`: its signature slot (0) stays 64 zero
/// bytes; the payer signs slot 1.
public struct SolanaExactPayment: Sendable {
    /// The partially signed transaction.
    public let transaction: SolanaTransaction
    /// The payer's token account (debited).
    public let source: SolanaPublicKey
    /// The payee's token account (credited).
    public let destination: SolanaPublicKey

    /// The payer's signature: known before sending, unique to this transaction, and how the
    /// ledger finds it on the chain later (the transaction's id is the fee payer's signature,
    /// which only the facilitator knows until it answers).
    public var payerSignature: SolanaSignature { transaction.signatures[1] }

    /// The transaction in standard base64.
    public var transactionBase64: String { transaction.base64 }

    /// The x402 payload: `{"transaction": "<base64>"}`.
    public var payload: JSONValue { ["transaction": .string(transactionBase64)] }

    /// Builds, checks and signs the payment.
    ///
    /// - Parameters:
    ///   - terms: the offer's terms.
    ///   - payer: the wallet's key.
    ///   - mint: the mint's token program and decimals, read from the chain.
    ///   - recentBlockhash: `terms.recentBlockhash`, else one fetched with `getLatestBlockhash`.
    ///   - computeBudget: the limit and price to declare; nil for the SDK's price (1
    ///     micro-lamport) and a limit that covers the memo (`SolanaComputeBudget.forMemo`: the
    ///     SDK's 20 000 units unless a seller memo needs more).
    ///   - maxComputeUnitPrice: the most micro-lamports per unit Purse will declare.
    ///   - memoNonce: 16 bytes for the random memo; nil draws them from the system's CSPRNG.
    ///     Ignored when the seller gave a memo. For tests.
    /// - Throws: `SolanaExactError` from `SolanaExactValidator` (a shape Purse must not sign,
    ///   including a fee payer equal to the payer and a price above the cap), or `.transaction`
    ///   when the transaction would exceed 1232 bytes.
    public static func build(
        terms: SolanaExactTerms, payer: SolanaKeypair, mint: SolanaMint, recentBlockhash: SolanaHash,
        computeBudget: SolanaComputeBudget? = nil, maxComputeUnitPrice: UInt64 = SolanaComputeBudget.facilitatorMaxUnitPrice,
        memoNonce: [UInt8]? = nil
    ) throws(SolanaExactError) -> SolanaExactPayment {
        let checks = SolanaExactValidator(terms: terms, payer: payer.publicKey, mint: mint, maxComputeUnitPrice: maxComputeUnitPrice)
        let nonce = memoNonce ?? randomNonce()
        var budget = SolanaComputeBudget.sdkDefault
        if let computeBudget { budget = computeBudget } else { budget = try .forMemo(try memo(terms: terms, nonce: nonce)) }
        let message = try unsignedMessage(
            terms: terms, payer: payer.publicKey, mint: mint, recentBlockhash: recentBlockhash,
            computeBudget: budget, memoNonce: nonce)
        try checks.validate(message)
        var transaction = SolanaTransaction(unsigned: message)
        do { try transaction.sign(with: payer) } catch { throw SolanaExactError(.transaction, error.message) }
        try checks.validate(transaction)
        let size = transaction.serialized().count
        guard size <= SolanaTransaction.maxSize else {
            throw SolanaExactError(.transaction, SolanaTransactionError.tooLarge(size).message)
        }
        return SolanaExactPayment(transaction: transaction, source: checks.source, destination: checks.destination)
    }

    /// The message `build` signs, not yet checked.
    ///
    /// - Parameter memoNonce: exactly 16 bytes, used (as 32 lower-case hex digits) only when the
    ///   terms carry no memo.
    /// - Throws: `SolanaExactError` `.feePayerIsPayer`; `.badMemo` for a nonce that is not 16 bytes.
    public static func unsignedMessage(
        terms: SolanaExactTerms, payer: SolanaPublicKey, mint: SolanaMint, recentBlockhash: SolanaHash,
        computeBudget: SolanaComputeBudget = .sdkDefault, memoNonce: [UInt8]
    ) throws(SolanaExactError) -> SolanaMessageV0 {
        guard terms.feePayer != payer else {
            throw SolanaExactError(.feePayerIsPayer, "extra.feePayer is the payer's own address \(payer)")
        }
        let instructions = expectedInstructions(
            terms: terms, payer: payer, mint: mint, computeBudget: computeBudget, memo: try memo(terms: terms, nonce: memoNonce))
        do {
            return try SolanaMessageV0.compile(payer: terms.feePayer, instructions: instructions, recentBlockhash: recentBlockhash)
        } catch {
            throw SolanaExactError(.transaction, error.message)
        }
    }

    /// The memo's bytes: the seller's memo in UTF-8, else the nonce as 32 lower-case hex digits
    /// (as the SDK's `binascii.hexlify(os.urandom(16))`).
    ///
    /// - Throws: `SolanaExactError` `.badMemo` for a nonce that is not 16 bytes.
    static func memo(terms: SolanaExactTerms, nonce: [UInt8]) throws(SolanaExactError) -> [UInt8] {
        guard nonce.count == 16 else { throw SolanaExactError(.badMemo, "the memo nonce must be 16 bytes, got \(nonce.count)") }
        return terms.memo.map { Array($0.utf8) } ?? Array(Hex.encode(nonce, prefix: false).utf8)
    }

    /// The four instructions of the payment, in order.
    static func expectedInstructions(
        terms: SolanaExactTerms, payer: SolanaPublicKey, mint: SolanaMint, computeBudget: SolanaComputeBudget, memo: [UInt8]
    ) -> [SolanaInstruction] {
        let program = mint.tokenProgram
        return [
            .setComputeUnitLimit(computeBudget.unitLimit),
            .setComputeUnitPrice(microLamports: computeBudget.unitPriceMicroLamports),
            .transferChecked(
                tokenProgram: program,
                source: SolanaAssociatedTokenAccount.address(owner: payer, mint: terms.mint, tokenProgram: program),
                mint: terms.mint, destination: terms.destination(program), owner: payer,
                amount: terms.amount, decimals: mint.decimals),
            .memo(memo),
        ]
    }

    /// 16 bytes from the system's CSPRNG.
    static func randomNonce() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<16).map { _ in rng.next() as UInt8 }
    }
}
