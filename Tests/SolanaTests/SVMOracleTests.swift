// Purse — Solana tests.
// Cross-checks against solders (the Rust Solana SDK) and the x402 SDK's own SVM facilitator
// settling Purse's transactions on LiteSVM. Run with PURSE_TEST_PYTHON=/path/to/venv/bin/python
// (scripts/test sets it). No network: LiteSVM runs inside the oracle process.

import Foundation
import PurseCore
import Testing

@testable import Solana

@Suite(.enabled(if: SVMOracle.isEnabled, "set PURSE_TEST_PYTHON to a Python with solders and x402[svm]"))
struct SVMOracleTests {
    @Test func oracleIsThePinnedSoldersAndSDK() async throws {
        let reply = try await SVMOracle.run("version", [:])
        #expect(reply["solders"]?.stringValue == "0.27.1")
        #expect(reply["x402"]?.stringValue == "2.25.0")
    }

    /// Fresh random strings and seeds, not the committed vectors: the curve test and the bump
    /// search agree with solders on inputs nobody chose.
    @Test func randomPointsAndSeedsAgreeWithSolders() async throws {
        var rng = SystemRandomNumberGenerator()
        let points = (0..<200).map { _ in (0..<32).map { _ in rng.next() as UInt8 } }
        let seeds = (0..<40).map { i in (0..<(1 + i % 4)).map { _ in (0..<(i % 33)).map { _ in rng.next() as UInt8 } } }
        let program = SolanaKeypair.generate().publicKey
        let reply = try await SVMOracle.run("curve", [
            "points": .array(points.map { .string(Hex.encode($0, prefix: false)) }),
            "seeds": .array(seeds.map { .array($0.map { .string(Hex.encode($0, prefix: false)) }) }),
            "program": .string(program.base58),
        ])
        let onCurve = try #require(reply["onCurve"]?.arrayValue)
        for (point, verdict) in zip(points, onCurve) { #expect(EdwardsCurve.isOnCurve(point) == verdict.boolValue, "\(Hex.encode(point))") }
        let pdas = try #require(reply["pda"]?.arrayValue)
        for (seedList, pda) in zip(seeds, pdas) {
            let found = try SolanaProgramAddress.find(seeds: seedList, programId: program)
            #expect(found.address.base58 == pda.arrayValue?[0].stringValue)
            #expect(Int(found.bump) == Int(pda.arrayValue?[1].int64Value ?? -1))
        }
    }

    /// Purse builds and signs; the SDK's facilitator verifies, co-signs and settles on LiteSVM;
    /// the payee gets exactly the amount and a replay is refused.
    static let memos: [(String, String?)] = [
        ("token", nil), ("token2022", nil), ("token", "inv-42 ✓"), ("token2022", "facture n°42 — ✓"),
        ("token", String(repeating: "pi_3abc123def456", count: 16)), ("token", String(repeating: "🔑✓é\u{7f}a", count: 5)),
        ("token2022", String(repeating: "\u{fbc6}", count: 20)),
    ]

    @Test(arguments: memos)
    func theSDKFacilitatorSettlesPursesTransaction(program: String, memo: String?) async throws {
        let world = try await SVMOracle.run("world", ["tokenProgram": .string(program)])
        let payer = try SolanaKeypair(base58Secret: world.text("payerSecretKeyBase58"))
        #expect(payer.publicKey.base58 == world.text("payer"))
        var extra: JSONObject = ["feePayer": .string(world.text("feePayer")), "recentBlockhash": .string(world.text("recentBlockhash"))]
        if let memo { extra["memo"] = .string(memo) }
        let amount: UInt64 = 12_345
        let terms = try SolanaExactTerms(asset: world.text("mint"), payTo: world.text("payTo"), amount: amount, extra: extra)
        let mint = SolanaMint(tokenProgram: program == "token" ? .token : .token2022, decimals: UInt8(world.int("decimals")))
        #expect(mint.tokenProgram.id.base58 == world.text("tokenProgram"))
        let payment = try SolanaExactPayment.build(terms: terms, payer: payer, mint: mint, recentBlockhash: try #require(terms.recentBlockhash))
        let reply = try await SVMOracle.run("settle", [
            "tokenProgram": .string(program), "transaction": .string(payment.transactionBase64),
            "amount": .string(String(amount)), "memo": memo.map { .string($0) } ?? .null,
        ])
        #expect(reply["verify"]?["isValid"]?.boolValue == true, "\(reply.encoded())")
        #expect(reply["verify"]?["payer"]?.stringValue == payer.publicKey.base58)
        #expect(reply["settle"]?["success"]?.boolValue == true, "\(reply.encoded())")
        let txid = try SolanaSignature(base58: try #require(reply["settle"]?["transaction"]?.stringValue))
        #expect(txid != payment.payerSignature, "the transaction id is the fee payer's signature")
        #expect(reply["before"]?["payTo"]?.int64Value == 0)
        #expect(reply["after"]?["payTo"]?.int64Value == Int64(amount))
        #expect(reply["after"]?["payer"]?.int64Value == Int64(world.text("payerTokens"))! - Int64(amount))
        #expect(reply["replay"]?["success"]?.boolValue == false, "the same transaction cannot settle twice")
    }

    /// The SDK client's fixed 20 000 units do not carry a 40-byte memo: its transaction fails in
    /// simulation ("exceeded CUs meter"), which is why Purse sizes the limit to the memo.
    @Test func theSDKsFixedLimitFailsALongMemo() async throws {
        let world = try await SVMOracle.run("world", ["tokenProgram": "token"])
        let payer = try SolanaKeypair(base58Secret: world.text("payerSecretKeyBase58"))
        let memo = String(repeating: "x", count: 40)
        let extra: JSONObject = ["feePayer": .string(world.text("feePayer")), "memo": .string(memo)]
        let terms = try SolanaExactTerms(asset: world.text("mint"), payTo: world.text("payTo"), amount: 1, extra: extra)
        let blockhash = try SolanaHash(base58: world.text("recentBlockhash"))
        let mint = SolanaMint(tokenProgram: .token, decimals: 6)
        let sdkLike = try SolanaExactPayment.build(terms: terms, payer: payer, mint: mint, recentBlockhash: blockhash, computeBudget: .sdkDefault)
        let sized = try SolanaExactPayment.build(terms: terms, payer: payer, mint: mint, recentBlockhash: blockhash)
        #expect(sized.transaction.message.instructions[0].data == [2] + SolanaInstruction.littleEndian(26_000, 4))
        for (payment, settles) in [(sdkLike, false), (sized, true)] {
            let reply = try await SVMOracle.run("settle", [
                "tokenProgram": "token", "transaction": .string(payment.transactionBase64), "amount": "1", "memo": .string(memo),
            ])
            #expect(reply["verify"]?["isValid"]?.boolValue == settles, "\(reply.encoded())")
            if !settles { #expect(reply["verify"]?["invalidReason"]?.stringValue == "transaction_simulation_failed") }
        }
    }

    /// A transaction Purse would refuse is refused by the facilitator too (here: another amount).
    @Test func theFacilitatorRefusesAnUnderpayment() async throws {
        let world = try await SVMOracle.run("world", ["tokenProgram": "token"])
        let payer = try SolanaKeypair(base58Secret: world.text("payerSecretKeyBase58"))
        let extra: JSONObject = ["feePayer": .string(world.text("feePayer"))]
        let terms = try SolanaExactTerms(asset: world.text("mint"), payTo: world.text("payTo"), amount: 999, extra: extra)
        let payment = try SolanaExactPayment.build(
            terms: terms, payer: payer, mint: SolanaMint(tokenProgram: .token, decimals: 6),
            recentBlockhash: try SolanaHash(base58: world.text("recentBlockhash")))
        let reply = try await SVMOracle.run("settle", [
            "tokenProgram": "token", "transaction": .string(payment.transactionBase64), "amount": "1000", "memo": .null,
        ])
        #expect(reply["verify"]?["isValid"]?.boolValue == false)
        #expect(reply["verify"]?["invalidReason"]?.stringValue == "invalid_exact_svm_payload_amount_insufficient")
        #expect(reply["after"]?["payTo"]?.int64Value == 0)
    }
}
