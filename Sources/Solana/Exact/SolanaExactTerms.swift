// Purse — Solana module (pure).

import PurseCore

/// What an x402 `exact` offer on Solana asks for, checked: who is paid, how much of which mint,
/// who pays the fee, and the seller's memo and blockhash hints.
///
/// Made from the requirement's `asset`, `payTo`, amount and `extra` (`feePayer`, `memo`,
/// `recentBlockhash`, `lastValidBlockHeight`), as `specs/schemes/exact/scheme_exact_svm.md`
/// defines them. The network is not here: choosing the RPC endpoint and the allowed mints for it
/// is the caller's business.
public struct SolanaExactTerms: Sendable, Hashable {
    /// The mint (`asset`).
    public let mint: SolanaPublicKey
    /// The merchant's wallet (`payTo`); the transfer goes to its associated token account.
    public let payTo: SolanaPublicKey
    /// The amount in atomic units of the mint.
    public let amount: UInt64
    /// The facilitator's fee payer (`extra.feePayer`), whose signature slot Purse leaves empty.
    public let feePayer: SolanaPublicKey
    /// The seller's memo (`extra.memo`), or nil for a random nonce.
    public let memo: String?
    /// The seller's blockhash hint (`extra.recentBlockhash`), nil when absent or malformed (then
    /// the client must fetch one: the spec says so, and the SDK client does so).
    public let recentBlockhash: SolanaHash?
    /// The block height after which `recentBlockhash` expires (`extra.lastValidBlockHeight`), when given with it.
    public let lastValidBlockHeight: UInt64?

    /// The longest memo, in UTF-8 bytes (`MAX_MEMO_BYTES`).
    public static let maxMemoBytes = 256

    /// Creates terms from typed values.
    ///
    /// - Throws: `SolanaExactError` `.badAmount` for zero, `.memoTooLong` past 256 bytes.
    public init(
        mint: SolanaPublicKey, payTo: SolanaPublicKey, amount: UInt64, feePayer: SolanaPublicKey, memo: String? = nil,
        recentBlockhash: SolanaHash? = nil, lastValidBlockHeight: UInt64? = nil
    ) throws(SolanaExactError) {
        guard amount > 0 else { throw SolanaExactError(.badAmount, "the amount is zero") }
        if let memo, memo.utf8.count > Self.maxMemoBytes {
            throw SolanaExactError(.memoTooLong, "extra.memo is \(memo.utf8.count) bytes of UTF-8; at most \(Self.maxMemoBytes) are allowed")
        }
        self.mint = mint
        self.payTo = payTo
        self.amount = amount
        self.feePayer = feePayer
        self.memo = memo?.isEmpty == true ? nil : memo
        self.recentBlockhash = recentBlockhash
        self.lastValidBlockHeight = recentBlockhash == nil ? nil : lastValidBlockHeight
    }

    /// Reads the terms from a requirement's fields.
    ///
    /// Follows the x402 SDK client where the spec leaves room: an empty `extra.memo` means "no
    /// memo" (a random nonce is used), and a `recentBlockhash` that is not a string of base58 for
    /// 32 bytes is ignored. Stricter than the SDK: a `memo` that is neither a string nor null is
    /// refused rather than silently replaced.
    /// - Throws: `SolanaExactError` `.badAddress`, `.feePayerMissing`, `.badAmount`, `.badMemo`
    ///   or `.memoTooLong`.
    public init(asset: String, payTo: String, amount: UInt64, extra: JSONObject?) throws(SolanaExactError) {
        let mint = try Self.key(asset, "asset")
        let payee = try Self.key(payTo, "payTo")
        guard let feePayerText = extra?["feePayer"]?.stringValue, !feePayerText.isEmpty else {
            throw SolanaExactError(.feePayerMissing, "extra.feePayer (the facilitator's fee payer) is required for Solana")
        }
        let feePayer = try Self.key(feePayerText, "extra.feePayer")
        var memo: String?
        switch extra?["memo"] {
        case nil, .null?: memo = nil
        case let .string(text)?: memo = text
        case let other?: throw SolanaExactError(.badMemo, "extra.memo is a JSON \(other.typeName), not a string")
        }
        let blockhash = extra?["recentBlockhash"]?.stringValue.flatMap { try? SolanaHash(base58: $0) }
        var lastValid: UInt64?
        switch extra?["lastValidBlockHeight"] {
        case let .string(text)?: lastValid = UInt64(text)
        case let .number(text)?: lastValid = UInt64(text)
        default: lastValid = nil
        }
        try self.init(mint: mint, payTo: payee, amount: amount, feePayer: feePayer, memo: memo, recentBlockhash: blockhash, lastValidBlockHeight: lastValid)
    }

    private static func key(_ text: String, _ field: String) throws(SolanaExactError) -> SolanaPublicKey {
        do { return try SolanaPublicKey(base58: text) } catch {
            throw SolanaExactError(.badAddress, "\(field) is not a Solana address: \(error.message)")
        }
    }

    /// The payee's associated token account for the mint under `tokenProgram`.
    public func destination(_ tokenProgram: SolanaTokenProgram) -> SolanaPublicKey {
        SolanaAssociatedTokenAccount.address(owner: payTo, mint: mint, tokenProgram: tokenProgram)
    }
}
