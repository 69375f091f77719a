import Foundation
import Ledger
import PurseCore
import Solana
import SolanaRPC

/// Solana `exact`: finds the signed transaction on chain and reads its status and transfer.
///
/// The row names the message (its digest) before signing; the transaction itself, with the
/// payer's signature, is the signed payload stored when the row was marked `sent`. A row without
/// one never left the process, so nothing can have landed. Otherwise the transaction is looked
/// up by the seller's reported id, else among the payer's token account's recent transactions
/// carrying its memo, and believed only when slot 1 holds the payer's signature of exactly this
/// payment (`SolanaPaymentReference.matches`); its status (`getSignatureStatuses`) must be
/// confirmed with no error and its token balances must show the transfer. Not found: pending
/// while its blockhash is valid (`isBlockhashValid`), never usable after.
struct SolanaProbe: AuthorizationProbe {
    let rpc: SolanaRPCClient

    func probe(_ row: PaymentRecord) async throws -> ProbeResult {
        guard case let .solana(digest) = row.authorization else {
            throw SolanaRPCError.invalidArgument("payment \(row.id) is not a Solana payment")
        }
        guard let text = row.signedPayload else { return .unused }
        guard let transaction = Self.transaction(inPayload: text), transaction.message.digest == digest.bytes,
              let reference = SolanaPaymentReference(transaction: transaction)
        else { throw SolanaRPCError.badResponse("payment \(row.id): the stored signed payload is not the planned Solana transaction") }
        let reported = row.txHash.flatMap { try? SolanaSignature(base58: $0) }
        var record = try await reported.asyncFlatMap { try await rpc.findPayment(reference, transactionId: $0) }
        if record == nil { record = try await rpc.findPayment(reference) }
        guard let record else {
            if try await rpc.isBlockhashValid(transaction.message.recentBlockhash) { return .unused }
            return .expired(reason: "the transaction's blockhash expired before it landed: it never will")
        }
        let id = record.transaction.signatures[0]
        if let err = record.meta?.err { return .expired(reason: "transaction \(id) landed and failed (\(err.encoded())); no token moved") }
        let status = try await rpc.getSignatureStatuses([id]).first ?? nil
        guard let status, status.err == nil, status.confirmationStatus == .confirmed || status.confirmationStatus == .finalized else {
            return .unused
        }
        if let moved = record.tokenBalances(of: reference.destination, mint: reference.mint), moved.after &- moved.before != reference.amount {
            throw SolanaRPCError.badResponse("transaction \(id) matches payment \(row.id) but the payee's balance moved by \(Int64(bitPattern: moved.after &- moved.before)), not \(reference.amount)")
        }
        return .used(transaction: id.base58, charge: nil)
    }

    /// The transaction in a stored `PaymentPayload` (`payload.transaction`, base64).
    static func transaction(inPayload text: String) -> SolanaTransaction? {
        guard let document = try? JSONValue.parse(Array(text.utf8)), let b64 = document["payload"]?["transaction"]?.stringValue,
              let bytes = try? Base64.decode(b64)
        else { return nil }
        return try? SolanaTransaction(serialized: bytes)
    }
}

extension Optional {
    /// `flatMap` for an async, throwing transform.
    fileprivate func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
