// Purse — Solana module (pure).

import PurseCore

/// Why an x402 `exact` payment on Solana was not built, or a transaction's shape was refused.
///
/// Every case is decided before anything is signed. Codes are stable; the detail names the
/// field or the instruction at fault and never holds key material.
public struct SolanaExactError: CodedError, Equatable {
    /// The kinds of refusal, each with a stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// `extra.feePayer` is absent or not a string: the scheme needs the facilitator's key.
        case feePayerMissing = "solana.fee_payer_missing"
        /// `asset`, `payTo`, `extra.feePayer` or `extra.recentBlockhash` is not valid base58 of 32 bytes.
        case badAddress = "solana.bad_address"
        /// The amount is zero.
        case badAmount = "solana.bad_amount"
        /// `extra.memo` is not a string.
        case badMemo = "solana.bad_memo"
        /// `extra.memo` is over 256 bytes of UTF-8.
        case memoTooLong = "solana.memo_too_long"
        /// The fee payer is the payer: the facilitator would not be paying the fee, and the
        /// payer's key would sign as fee payer.
        case feePayerIsPayer = "solana.fee_payer_is_payer"
        /// The compute-unit price is above the cap.
        case computePriceTooHigh = "solana.compute_price_too_high"
        /// The compute-unit limit is above what facilitators accept.
        case computeLimitTooHigh = "solana.compute_limit_too_high"
        /// The mint account is not a mint of SPL Token or Token-2022.
        case notAMint = "solana.not_a_mint"
        /// Instructions other than limit, price, transfer and memo, in that order.
        case unexpectedInstruction = "solana.unexpected_instruction"
        /// Account keys, signers or lookups other than the payment needs.
        case unexpectedAccounts = "solana.unexpected_accounts"
        /// The transfer moves another amount than required.
        case amountMismatch = "solana.amount_mismatch"
        /// The transfer pays another account than the payee's token account.
        case payeeMismatch = "solana.payee_mismatch"
        /// The transfer is of another mint, with other decimals, or under another token program.
        case mintMismatch = "solana.mint_mismatch"
        /// The transfer is not from the payer's token account, or not authorized by the payer.
        case payerMismatch = "solana.payer_mismatch"
        /// The fee payer is not `extra.feePayer`, or it is touched by an instruction.
        case feePayerMismatch = "solana.fee_payer_mismatch"
        /// The memo is not `extra.memo`, or not a fresh nonce.
        case memoMismatch = "solana.memo_mismatch"
        /// A signature slot holds something other than nothing (fee payer) or the payer's signature.
        case badSignature = "solana.bad_signature"
        /// The transaction could not be serialized within Solana's limits.
        case transaction = "solana.transaction_invalid"
    }

    /// What kind of refusal this is.
    public let kind: Kind
    /// What exactly was wrong.
    public let detail: String

    /// Creates an error.
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The stable code, such as `solana.amount_mismatch`.
    public var code: String { kind.rawValue }

    /// A one-line explanation.
    public var message: String { "Solana exact payment refused: \(detail)" }
}
