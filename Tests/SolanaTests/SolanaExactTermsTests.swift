// Purse — Solana tests.

import PurseCore
import Testing

@testable import Solana

@Suite struct SolanaExactTermsTests {
    static let mint = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    static let payTo = "5JAPe5jasQ2XrutLAzBc93uuv2DPdzi5yRXCfNHJ2Kt7"
    static let feePayer = "3NX7tbK1spz8AVvGo4ZdXbWyrWAEttoWW74hpyLAu8E9"
    static let blockhash = "2EaEsrsR5eav8jazumxwPoiAz9C7AoSGSx9uD9T9n3BY"

    func code(_ extra: JSONObject?, asset: String = mint, payTo: String = payTo, amount: UInt64 = 1) -> String? {
        do {
            _ = try SolanaExactTerms(asset: asset, payTo: payTo, amount: amount, extra: extra)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func theSpecsExampleReads() throws {
        let extra: JSONObject = ["feePayer": .string(Self.feePayer), "memo": "pi_3abc123def456", "recentBlockhash": .string(Self.blockhash), "lastValidBlockHeight": "291470237"]
        let terms = try SolanaExactTerms(asset: Self.mint, payTo: Self.payTo, amount: 1000, extra: extra)
        #expect(terms.mint.base58 == Self.mint)
        #expect(terms.payTo.base58 == Self.payTo)
        #expect(terms.feePayer.base58 == Self.feePayer)
        #expect(terms.memo == "pi_3abc123def456")
        #expect(terms.recentBlockhash?.base58 == Self.blockhash)
        #expect(terms.lastValidBlockHeight == 291_470_237)
        #expect(terms.amount == 1000)
    }

    @Test func hintsThatAreMalformedAreIgnoredAsTheSDKDoes() throws {
        for hint: JSONValue in ["", "not-base58-0OIl", 12, .null, "11111111111111111111111111111111111"] {
            let terms = try SolanaExactTerms(asset: Self.mint, payTo: Self.payTo, amount: 1, extra: ["feePayer": .string(Self.feePayer), "recentBlockhash": hint, "lastValidBlockHeight": 5])
            #expect(terms.recentBlockhash == nil)
            #expect(terms.lastValidBlockHeight == nil, "a height without its blockhash means nothing")
        }
        // An empty memo means none (a random nonce), as in the SDK.
        #expect(try SolanaExactTerms(asset: Self.mint, payTo: Self.payTo, amount: 1, extra: ["feePayer": .string(Self.feePayer), "memo": ""]).memo == nil)
        #expect(try SolanaExactTerms(asset: Self.mint, payTo: Self.payTo, amount: 1, extra: ["feePayer": .string(Self.feePayer), "memo": .null]).memo == nil)
    }

    @Test func requiredFieldsAreStrict() {
        #expect(code(nil) == "solana.fee_payer_missing")
        #expect(code([:]) == "solana.fee_payer_missing")
        #expect(code(["feePayer": ""]) == "solana.fee_payer_missing")
        #expect(code(["feePayer": 5]) == "solana.fee_payer_missing")
        #expect(code(["feePayer": "0x036CbD53842c5426634e7929541eC2318f3dCF7e"]) == "solana.bad_address")
        #expect(code(["feePayer": .string(Self.feePayer)], asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e") == "solana.bad_address")
        #expect(code(["feePayer": .string(Self.feePayer)], payTo: Self.payTo + "1") == "solana.bad_address")
        #expect(code(["feePayer": .string(Self.feePayer)], amount: 0) == "solana.bad_amount")
        #expect(code(["feePayer": .string(Self.feePayer), "memo": 42]) == "solana.bad_memo")
        #expect(code(["feePayer": .string(Self.feePayer), "memo": ["a"]]) == "solana.bad_memo")
        #expect(code(["feePayer": .string(Self.feePayer), "memo": .string(String(repeating: "a", count: 256))]) == nil)
        #expect(code(["feePayer": .string(Self.feePayer), "memo": .string(String(repeating: "a", count: 257))]) == "solana.memo_too_long")
        #expect(code(["feePayer": .string(Self.feePayer), "memo": .string(String(repeating: "é", count: 129))]) == "solana.memo_too_long")
    }

    @Test func mintAccountsAreReadStrictly() throws {
        var data = [UInt8](repeating: 0, count: 82)
        data[44] = 6
        data[45] = 1
        #expect(try SolanaMint(owner: .tokenProgram, data: data) == SolanaMint(tokenProgram: .token, decimals: 6))
        #expect(try SolanaMint(owner: .token2022Program, data: data) == SolanaMint(tokenProgram: .token2022, decimals: 6))
        // Token-2022 with extensions: padding to 165, account type 1 (mint), then TLV data.
        var extended = data + [UInt8](repeating: 0, count: 165 - 82) + [1, 3, 0, 2, 0, 9, 9]
        #expect(try SolanaMint(owner: .token2022Program, data: extended) == SolanaMint(tokenProgram: .token2022, decimals: 6))
        extended[165] = 2  // an account, not a mint
        #expect(throws: SolanaExactError.self) { try SolanaMint(owner: .token2022Program, data: extended) }
        #expect(throws: SolanaExactError.self) { try SolanaMint(owner: .tokenProgram, data: data + [0]) }
        #expect(throws: SolanaExactError.self) { try SolanaMint(owner: .systemProgram, data: data) }
        var uninitialized = data
        uninitialized[45] = 0
        #expect(throws: SolanaExactError.self) { try SolanaMint(owner: .tokenProgram, data: uninitialized) }
        #expect(throws: SolanaExactError.self) { try SolanaMint(owner: .tokenProgram, data: [UInt8](repeating: 0, count: 165)) }
        do { _ = try SolanaMint(owner: .systemProgram, data: data) } catch { #expect(error.code == "solana.not_a_mint") }
    }
}
