// Purse — SolanaRPC tests.
// Finding a payment on the chain from what the ledger keeps (replayed shim answers).

import Foundation
import PurseCore
import Solana
import Testing

@testable import SolanaRPC

@Suite struct SolanaPaymentLookupTests {
    static let partial = try! SolanaTransaction(base64: ShimFixture.payment.text("partiallySignedTransactionBase64"))
    static let reference = SolanaPaymentReference(transaction: partial)!

    @Test func theReferenceIsReadFromThePartiallySignedTransaction() throws {
        let r = Self.reference
        #expect(r.payerSignature.base58 == ShimFixture.payment.text("payerSignature"))
        #expect(r.payer.base58 == ShimFixture.payment.text("payer"))
        #expect(r.source.base58 == ShimFixture.payment.text("payerUsdcAta"))
        #expect(r.destination.base58 == ShimFixture.payment.text("sellerUsdcAta"))
        #expect(r.amount == 10_000)
        #expect(r.memo == "00112233445566778899aabbccddeeff")
        #expect(r.tokenProgram == .token)
        // It survives the ledger's JSON.
        let json = try JSONEncoder().encode(r)
        #expect(try JSONDecoder().decode(SolanaPaymentReference.self, from: json) == r)
    }

    @Test func aLostReceiptIsFoundThroughThePayersTokenAccount() async throws {
        let http = ShimFixture.node()
        let rpc = SolanaRPCClient(url: "http://127.0.0.1:8899", http: http)
        let record = try #require(try await rpc.findPayment(Self.reference, limit: 10))
        #expect(record.transaction.signatures[0].base58 == ShimFixture.payment.text("signature"))
        #expect(record.meta?.err == nil)
        // One listing and one fetch: the failed transfer's memo ("too-much") is not ours, so it is skipped.
        let methods = http.requests.map { (try? JSONValue.parse($0.body!))?["method"]?.stringValue ?? "" }
        #expect(methods == ["getSignaturesForAddress", "getTransaction"])
    }

    @Test func aReceiptsTransactionIdMustBeThePayment() async throws {
        let rpc = SolanaRPCClient(url: "http://127.0.0.1:8899", http: ShimFixture.node())
        let id = try SolanaSignature(base58: ShimFixture.payment.text("signature"))
        #expect(try await rpc.findPayment(Self.reference, transactionId: id) != nil)
        // The failed transfer is the same payer's, but not this payment.
        let other = try SolanaSignature(base58: ShimFixture.failed.text("signature"))
        #expect(try await rpc.findPayment(Self.reference, transactionId: other) == nil)
        let unknown = try SolanaSignature(base58: ShimFixture.payment.text("unknownSignature"))
        #expect(try await rpc.findPayment(Self.reference, transactionId: unknown) == nil)
    }
}
