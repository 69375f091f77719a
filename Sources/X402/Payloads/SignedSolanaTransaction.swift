import PurseCore

/// A Solana `exact` payment as the x402 payload carries it: the partly signed v0 transaction
/// (the payer's signature in slot 1, the fee payer's slot empty for the facilitator), base64.
///
/// The transaction is built and checked by the Solana module; here it is only the text sent.
public struct SignedSolanaTransaction: Sendable, Equatable {
    /// The serialized transaction in standard base64.
    public let transactionBase64: String
    /// The payer's signature (base58), for messages and the ledger's signed payload.
    public let payerSignature: String

    /// Wraps a signed transaction.
    public init(transactionBase64: String, payerSignature: String) {
        self.transactionBase64 = transactionBase64
        self.payerSignature = payerSignature
    }

    /// The scheme payload: `{"transaction": "<base64>"}`.
    public var json: JSONValue { ["transaction": .string(transactionBase64)] }
}
