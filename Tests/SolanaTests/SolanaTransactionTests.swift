// Purse — Solana tests.

import PurseCore
import Testing

@testable import Solana

@Suite struct SolanaTransactionTests {
    @Test func compactU16IsCanonical() throws {
        for (value, bytes) in [(0, [0x00]), (0x7f, [0x7f]), (0x80, [0x80, 0x01]), (0x3fff, [0xff, 0x7f]), (0x4000, [0x80, 0x80, 0x01]), (0xffff, [0xff, 0xff, 0x03])] as [(Int, [UInt8])] {
            var out: [UInt8] = []
            CompactU16.encode(value, into: &out)
            #expect(out == bytes)
            var offset = 0
            #expect(try CompactU16.decode(bytes, at: &offset) == value)
            #expect(offset == bytes.count)
        }
        for bad: [UInt8] in [[0x80], [0x80, 0x00], [0xff, 0xff, 0x04], [0x80, 0x80, 0x00], [0xff, 0xff, 0xff, 0x01], []] {
            var offset = 0
            #expect(throws: SolanaTransactionError.self) { try CompactU16.decode(bad, at: &offset) }
        }
    }

    @Test func truncatedOrPaddedTransactionsAreRefused() throws {
        let bytes = try Base64.decode(TransferVector.all[0].json.text("partiallySignedTransactionBase64"))
        for cut in [0, 1, 64, 130, 140, bytes.count - 1] {
            #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(serialized: Array(bytes.prefix(cut))) }
        }
        #expect(throws: SolanaTransactionError.malformed("1 bytes after the message")) { try SolanaTransaction(serialized: bytes + [0]) }
        // One signature for two required signers.
        var one = bytes
        one[0] = 1
        one.removeSubrange(1..<65)
        #expect(throws: SolanaTransactionError.malformed("1 signatures for 2 required signers")) { try SolanaTransaction(serialized: one) }
        // A legacy message (no version prefix) and version 1.
        var legacy = bytes
        legacy.remove(at: 129)
        #expect(throws: SolanaTransactionError.unsupportedVersion("a legacy message")) { try SolanaTransaction(serialized: legacy) }
        var v1 = bytes
        v1[129] = 0x81
        #expect(throws: SolanaTransactionError.unsupportedVersion("v1")) { try SolanaTransaction(serialized: v1) }
        #expect(throws: SolanaTransactionError.tooLarge(1233)) { try SolanaTransaction(serialized: [UInt8](repeating: 0, count: 1233)) }
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(base64: "not base64!") }
    }

    @Test func sanitizeRefusesBadIndexes() throws {
        let bytes = try Base64.decode(TransferVector.all[0].json.text("partiallySignedTransactionBase64"))
        let tx = try SolanaTransaction(serialized: bytes)
        var message = tx.message
        message.instructions[2].accounts[0] = 8
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(serialized: SolanaTransaction(signatures: tx.signatures, message: message).serialized()) }
        message = tx.message
        message.instructions[0].programIdIndex = 0
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(serialized: SolanaTransaction(signatures: tx.signatures, message: message).serialized()) }
        message = tx.message
        message.accountKeys[3] = message.accountKeys[2]
        #expect(throws: SolanaTransactionError.malformed("an account key appears twice")) { try SolanaTransaction(serialized: SolanaTransaction(signatures: tx.signatures, message: message).serialized()) }
        message = tx.message
        message.header.numReadonlySignedAccounts = 2
        #expect(throws: SolanaTransactionError.malformed("the fee payer is read-only")) { try SolanaTransaction(serialized: SolanaTransaction(signatures: tx.signatures, message: message).serialized()) }
    }

    @Test func headerFlagsReadBack() throws {
        let tx = try SolanaTransaction(base64: TransferVector.all[0].json.text("partiallySignedTransactionBase64"))
        let m = tx.message
        #expect((0..<8).map { m.isSigner($0) } == [true, true, false, false, false, false, false, false])
        #expect((0..<8).map { m.isWritable($0) } == [true, false, true, true, false, false, false, false])
        #expect(m.key(at: 8) == nil)
    }

    @Test func signingPutsTheSignatureInTheSignersSlot() throws {
        let v = TransferVector.all[0]
        var tx = try SolanaTransaction(base64: v.json.text("partiallySignedTransactionBase64"))
        tx.signatures = [.empty, .empty]
        try tx.sign(with: v.payer)
        #expect(tx.signatures[0].isEmpty)
        #expect(v.payer.publicKey.isValidSignature(tx.signatures[1], for: tx.message.serialized()))
        #expect(throws: SolanaTransactionError.self) { try tx.sign(with: SolanaKeypair.generate()) }
    }

    @Test func aPayerPayingItselfCompilesWithMergedAccounts() throws {
        // payTo == payer: source and destination are one account, listed once.
        let v = TransferVector.all[0]
        let terms = try SolanaExactTerms(mint: v.terms.mint, payTo: v.payer.publicKey, amount: 5, feePayer: v.terms.feePayer)
        let payment = try SolanaExactPayment.build(terms: terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        #expect(payment.transaction.message.accountKeys.count == 7)
        #expect(payment.source == payment.destination)
        #expect(try SolanaTransaction(base64: payment.transactionBase64) == payment.transaction)
    }

    @Test func theLongestMemoStillFitsAPacket() throws {
        let v = TransferVector.all[0]
        let memo = String(repeating: "é", count: 128)  // 256 bytes of UTF-8
        let terms = try SolanaExactTerms(mint: v.terms.mint, payTo: v.terms.payTo, amount: 1, feePayer: v.terms.feePayer, memo: memo)
        let payment = try SolanaExactPayment.build(terms: terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        #expect(payment.transaction.serialized().count <= SolanaTransaction.maxSize)
        #expect(payment.transaction.message.instructions[3].data == Array(memo.utf8))
    }

    @Test func randomMemosAreFreshHex() throws {
        let v = TransferVector.all[0]
        let a = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        let b = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash)
        let memoA = a.transaction.message.instructions[3].data, memoB = b.transaction.message.instructions[3].data
        #expect(memoA.count == 32 && memoB.count == 32)
        #expect(memoA != memoB, "each payment is a distinct transaction")
        #expect(a.payerSignature != b.payerSignature)
    }
}
