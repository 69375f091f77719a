// Purse — Solana module (pure).
// What the ledger keeps of a Solana payment, and how to recognise it on the chain afterwards.

/// The facts that identify one `exact` payment on Solana after it has left: the payer's
/// signature, the transfer it signed, and its memo.
///
/// The transaction's id is the fee payer's signature, which only the facilitator knows until its
/// receipt arrives (and a receipt can be lost). The payer's own signature is known before
/// sending and is unique to the message, so reconcile recognises the payment by it: list the
/// payer's token account's transactions (`getSignaturesForAddress`), keep those whose memo is
/// this one, fetch them, and look for slot 1 holding `payerSignature` (`matches`). Codable, so
/// the ledger can store it as JSON.
public struct SolanaPaymentReference: Sendable, Hashable, Codable {
    /// The payer's signature (slot 1 of the transaction).
    public let payerSignature: SolanaSignature
    /// The paying wallet.
    public let payer: SolanaPublicKey
    /// The payer's token account (debited).
    public let source: SolanaPublicKey
    /// The payee's token account (credited).
    public let destination: SolanaPublicKey
    /// The mint.
    public let mint: SolanaPublicKey
    /// The token program of the mint.
    public let tokenProgram: SolanaTokenProgram
    /// The amount in atomic units.
    public let amount: UInt64
    /// The memo's bytes as UTF-8 text (the seller's memo or the nonce).
    public let memo: String

    /// Reads the reference out of a payment transaction Purse signed: slot 1 signed, exactly one
    /// `TransferChecked`, and a Memo. Nil for any other transaction.
    public init?(transaction: SolanaTransaction) {
        let message = transaction.message
        guard transaction.signatures.count == 2, !transaction.signatures[1].isEmpty, message.accountKeys.count > 1,
              message.transfersChecked.count == 1, let transfer = message.transfersChecked.first,
              let memoInstruction = message.instructions.first(where: { message.key(at: $0.programIdIndex) == .memoProgram }),
              let memo = String(validating: memoInstruction.data, as: UTF8.self)
        else { return nil }
        self.payerSignature = transaction.signatures[1]
        self.payer = message.accountKeys[1]
        self.source = transfer.source
        self.destination = transfer.destination
        self.mint = transfer.mint
        self.tokenProgram = transfer.tokenProgram
        self.amount = transfer.amount
        self.memo = memo
    }

    /// Whether `transaction` is this payment: slot 1 holds the payer's signature, valid for its
    /// message, and the message moves exactly `amount` of `mint` from `source` to `destination`
    /// on the payer's authority, once.
    public func matches(_ transaction: SolanaTransaction) -> Bool {
        let message = transaction.message
        guard transaction.signatures.count >= 2, transaction.signatures[1] == payerSignature,
              message.accountKeys.count > 1, message.accountKeys[1] == payer,
              payer.isValidSignature(payerSignature, for: message.serialized())
        else { return false }
        let transfers = message.transfersChecked.filter {
            $0.source == source && $0.destination == destination && $0.mint == mint && $0.authority == payer && $0.tokenProgram == tokenProgram
        }
        return transfers.count == 1 && transfers[0].amount == amount
    }

    /// Whether a node's rendering of a transaction's memos (`getSignaturesForAddress`'s `memo`,
    /// `"[length] text"` joined by `"; "`) includes this memo, to skip fetching other transactions.
    ///
    /// A containment test: a memo may itself hold "; ", so the rendering is not split. A false
    /// positive only costs one `getTransaction`, which `matches` then rejects.
    public func memoAppears(in rendered: String?) -> Bool {
        guard let rendered else { return false }
        return rendered.contains("[\(memo.utf8.count)] \(memo)")
    }
}
