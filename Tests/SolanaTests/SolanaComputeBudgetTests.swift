// Purse — Solana tests.

import Testing

@testable import Solana

@Suite struct SolanaComputeBudgetTests {
    func limit(_ memo: String) throws -> UInt32 { try SolanaComputeBudget.forMemo(Array(memo.utf8)).unitLimit }

    @Test func theSDKsLimitIsKeptWhereItFits() throws {
        #expect(try limit("00112233445566778899aabbccddeeff") == 20_000)
        #expect(try limit("pi_3abc123def456") == 20_000)
        #expect(try limit("") == 20_000)
        #expect(try limit(String(repeating: "~", count: 32)) == 20_000)
        #expect(try SolanaComputeBudget.forMemo([]).unitPriceMicroLamports == 1)
        #expect(try SolanaComputeBudget.forMemo([], unitPriceMicroLamports: 7).unitPriceMicroLamports == 7)
    }

    @Test func longerOrCostlierMemosGetAnUpperEstimate() throws {
        #expect(try limit(String(repeating: "x", count: 33)) == 24_000)  // 10 000 + 33 × 400
        #expect(try limit(String(repeating: "x", count: 256)) == 113_000)
        #expect(try limit("facture n°42 — ✓") == 51_000)
        #expect(try limit("\n") == 20_000)  // 10 000 + 1 100, raised to the SDK's floor
    }

    @Test func aMemoTooCostlyForAnyFacilitatorIsRefused() {
        // 72 three-byte characters: about 1.2 million units estimated, over 400 000.
        #expect(throws: SolanaExactError.self) { try SolanaComputeBudget.forMemo(Array(String(repeating: "✓", count: 72).utf8)) }
        do { _ = try SolanaComputeBudget.forMemo(Array(String(repeating: "✓", count: 72).utf8)) } catch {
            #expect(error.kind == .computeLimitTooHigh)
        }
        // 256 bytes of printable ASCII, the longest memo allowed, always fits.
        #expect(throws: Never.self) { try SolanaComputeBudget.forMemo(Array(String(repeating: "a", count: 256).utf8)) }
    }
}
