// Purse — Solana tests.
// The x402 SDK client's own transactions (the vectors' `transferChecked` entries), byte for byte.

import Foundation
import PurseCore
import Testing

@testable import Solana

/// One `transferChecked` vector, read into Purse's types.
struct TransferVector {
    let json: JSONValue
    var name: String { json.text("name") }
    var inputs: JSONValue { json["inputs"]! }

    var payer: SolanaKeypair { try! SolanaKeypair(base58Secret: inputs.text("payerSecretKeyBase58")) }
    var feePayerKey: SolanaKeypair { try! SolanaKeypair(seed: inputs.hex("feePayerSeedHex")) }
    var mint: SolanaMint {
        SolanaMint(tokenProgram: SolanaTokenProgram(id: try! SolanaPublicKey(base58: inputs.text("tokenProgram")))!, decimals: UInt8(inputs.int("decimals")))
    }
    var blockhash: SolanaHash { try! SolanaHash(base58: inputs.text("recentBlockhash")) }
    var nonce: [UInt8] { inputs["randomMemoNonceHex"]?.stringValue.map { try! Hex.decode($0) } ?? [UInt8](repeating: 0xee, count: 16) }

    /// The requirement's `extra` as a server would send it.
    var extra: JSONObject {
        var extra: JSONObject = ["feePayer": .string(inputs.text("feePayer")), "recentBlockhash": .string(inputs.text("recentBlockhash"))]
        if let memo = inputs["extraMemo"]?.stringValue { extra["memo"] = .string(memo) }
        return extra
    }

    var terms: SolanaExactTerms {
        try! SolanaExactTerms(asset: inputs.text("mint"), payTo: inputs.text("payTo"), amount: UInt64(inputs.text("amount"))!, extra: extra)
    }

    static var all: [TransferVector] { SolanaVectors.transferChecked.map { TransferVector(json: $0) } }
}

@Suite struct TransferCheckedVectorTests {
    @Test func theVectorsCoverBothProgramsBothMemosAndTheEdges() {
        let names = TransferVector.all.map(\.name)
        #expect(names == ["usdc-devnet-random-memo", "usdc-devnet-seller-memo", "token-2022-random-memo", "usdc-large-amount-utf8-memo", "fee-payer-is-pay-to"])
    }

    @Test(arguments: TransferVector.all.map(\.name))
    func purseBuildsTheSDKsTransactionByteForByte(name: String) throws {
        let v = TransferVector.all.first { $0.name == name }!
        #expect(v.payer.publicKey.base58 == v.inputs.text("payer"))
        #expect(v.terms.recentBlockhash == v.blockhash, "extra.recentBlockhash is taken")
        // The SDK's fixed budget (20 000 units at 1 micro-lamport), even where it is too small.
        let payment = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash, computeBudget: .sdkDefault, memoNonce: v.nonce)
        let message = payment.transaction.message
        #expect(Hex.encode(message.serialized().dropFirst(), prefix: false) == v.json.text("messageV0BodyHex"))
        #expect(Hex.encode(message.serialized(), prefix: false) == v.json.text("signedMessageHex"))
        #expect(message.accountKeys.map(\.base58) == v.json["message"]!["accountKeys"]!.arrayValue!.map { $0.stringValue! })
        let header = v.json["message"]!["header"]!
        #expect(Int(message.header.numRequiredSignatures) == header.int("numRequiredSignatures"))
        #expect(Int(message.header.numReadonlySignedAccounts) == header.int("numReadonlySignedAccounts"))
        #expect(Int(message.header.numReadonlyUnsignedAccounts) == header.int("numReadonlyUnsignedAccounts"))
        #expect(payment.source.base58 == v.json["derived"]!.text("sourceAta"))
        #expect(payment.destination.base58 == v.json["derived"]!.text("destinationAta"))
        #expect(message.instructions[3].data == Array(v.json["derived"]!.text("memoUtf8").utf8))
        #expect(payment.transaction.signatures[0].isEmpty, "the fee payer's slot is left empty")
        #expect(v.payer.publicKey.isValidSignature(payment.payerSignature, for: message.serialized()))
        #if !canImport(CryptoKit)
        // BoringSSL's Ed25519 is deterministic (RFC 8032), so the signature and the whole
        // transaction are the SDK's bytes; CryptoKit randomizes its signatures.
        #expect(payment.payerSignature.base58 == v.json.text("payerSignatureBase58"))
        #expect(payment.transactionBase64 == v.json.text("partiallySignedTransactionBase64"))
        #expect(payment.payload == ["transaction": .string(v.json.text("partiallySignedTransactionBase64"))])
        #endif
    }

    @Test(arguments: TransferVector.all.map(\.name))
    func theSDKsTransactionsParseReserializeAndPassTheValidator(name: String) throws {
        let v = TransferVector.all.first { $0.name == name }!
        let partial = try SolanaTransaction(base64: v.json.text("partiallySignedTransactionBase64"))
        #expect(partial.base64 == v.json.text("partiallySignedTransactionBase64"))
        #expect(partial.signatures[1].base58 == v.json.text("payerSignatureBase58"))
        let validator = SolanaExactValidator(terms: v.terms, payer: v.payer.publicKey, mint: v.mint, maxComputeUnitPrice: 1)
        try validator.validate(partial)
        // The facilitator's co-signature completes it; a fully signed one is no longer ours to sign.
        var full = partial
        full.signatures[0] = v.feePayerKey.sign(partial.message.serialized())
        #expect(v.feePayerKey.publicKey.base58 == v.inputs.text("feePayer"))
        #expect(v.feePayerKey.publicKey.isValidSignature(full.signatures[0], for: partial.message.serialized()))
        #expect(try SolanaTransaction(base64: v.json.text("fullySignedTransactionBase64")).message == partial.message)
        #if !canImport(CryptoKit)
        #expect(full.signatures[0].base58 == v.json.text("feePayerSignatureBase58"))
        #expect(full.base64 == v.json.text("fullySignedTransactionBase64"))
        #endif
        #expect(throws: SolanaExactError.self) { try validator.validate(full) }
    }

    /// By default Purse keeps the SDK's budget where it suffices, and only raises the limit for
    /// the memo that the SDK's 20 000 units cannot carry ("facture n°42 — ✓" needs about 31 700).
    @Test func theAutomaticBudgetDiffersOnlyWhereTheSDKsFails() throws {
        for v in TransferVector.all {
            let payment = try SolanaExactPayment.build(terms: v.terms, payer: v.payer, mint: v.mint, recentBlockhash: v.blockhash, memoNonce: v.nonce)
            let sdk = Hex.encode(payment.transaction.message.serialized(), prefix: false) == v.json.text("signedMessageHex")
            let limit = payment.transaction.message.instructions[0].data
            if v.name == "usdc-large-amount-utf8-memo" {
                #expect(!sdk)
                #expect(limit == [2] + SolanaInstruction.littleEndian(51_000, 4))
            } else {
                #expect(sdk, "\(v.name)")
            }
        }
    }

    @Test func theDecodedTransferIsTheRequirement() throws {
        for v in TransferVector.all {
            let tx = try SolanaTransaction(base64: v.json.text("partiallySignedTransactionBase64"))
            let transfers = tx.message.transfersChecked
            #expect(transfers.count == 1)
            let t = try #require(transfers.first)
            #expect(t.amount == UInt64(v.inputs.text("amount"))!)
            #expect(t.mint.base58 == v.inputs.text("mint"))
            #expect(t.authority.base58 == v.inputs.text("payer"))
            #expect(t.destination.base58 == v.json["derived"]!.text("destinationAta"))
            #expect(t.source.base58 == v.json["derived"]!.text("sourceAta"))
            #expect(t.decimals == 6)
            #expect(t.tokenProgram.id.base58 == v.inputs.text("tokenProgram"))
        }
    }
}
