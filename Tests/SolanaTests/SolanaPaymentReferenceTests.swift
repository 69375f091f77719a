// Purse — Solana tests.

import Testing

@testable import Solana

@Suite struct SolanaPaymentReferenceTests {
    @Test func aPaymentRecognisesItselfAndNothingElse() throws {
        let v = TransferVector.all[0]
        let payment = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        let reference = payment.reference
        #expect(reference.payerSignature == payment.payerSignature)
        #expect(reference.source == payment.source && reference.destination == payment.destination)
        #expect(reference.amount == v.terms.amount && reference.mint == v.terms.mint)
        // Co-signed by the facilitator, it is still the payment.
        var full = payment.transaction
        full.signatures[0] = v.feePayerKey.sign(full.message.serialized())
        #expect(reference.matches(full))
        // Another payment with the same terms (another nonce) is not.
        let other = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        #expect(!reference.matches(other.transaction))
        // A forged slot 1 (our signature on another message) is not.
        var forged = other.transaction
        forged.signatures[1] = payment.payerSignature
        #expect(!reference.matches(forged))
        #expect(reference.memoAppears(in: "[32] \(reference.memo)"))
        #expect(reference.memoAppears(in: "[5] hello; [32] \(reference.memo)"))
        #expect(!reference.memoAppears(in: "[31] \(reference.memo)"))
        #expect(!reference.memoAppears(in: nil))
        // An unsigned transaction has no reference.
        #expect(SolanaPaymentReference(transaction: SolanaTransaction(unsigned: payment.transaction.message)) == nil)
    }
}
