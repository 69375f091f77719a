// Purse — Solana tests.

import Crypto
import PurseCore
import Testing

@testable import Solana

@Suite struct ProgramAddressTests {
    /// Every `findProgramAddress` vector (320 ATA derivations under SPL Token and Token-2022):
    /// each tried bump's hash, its curve verdict, the bump found and the address.
    @Test func everyVectorDerivesTheSameAddressBumpAndCandidates() throws {
        #expect(SolanaVectors.findProgramAddress.count == 320)
        var skipped = 0
        for vector in SolanaVectors.findProgramAddress {
            let seeds = vector["seedsHex"]!.arrayValue!.map { try! Hex.decode($0.stringValue!) }
            let program = try SolanaPublicKey(base58: vector.text("programId"))
            let found = try SolanaProgramAddress.find(seeds: seeds, programId: program)
            #expect(found.address.base58 == vector.text("address"))
            #expect(Int(found.bump) == vector.int("bump"))
            for candidate in vector["candidates"]!.arrayValue! {
                let bump = UInt8(candidate.int("bump"))
                let hash = SolanaProgramAddress.candidate(seeds: seeds + [[bump]], programId: program)
                #expect(hash == candidate.hex("sha256"))
                #expect(EdwardsCurve.isOnCurve(hash) == candidate["onCurve"]?.boolValue)
            }
            skipped += vector["skippedOnCurveBumps"]!.arrayValue!.count
            // The same through the ATA helper.
            let owner = try SolanaPublicKey(base58: vector.text("owner"))
            let mint = try SolanaPublicKey(base58: vector.text("mint"))
            let tokenProgram = try #require(SolanaTokenProgram(id: try SolanaPublicKey(base58: vector.text("tokenProgram"))))
            #expect(SolanaAssociatedTokenAccount.address(owner: owner, mint: mint, tokenProgram: tokenProgram).base58 == vector.text("address"))
        }
        #expect(skipped > 100, "the vectors exercise the bump search (\(skipped) on-curve candidates skipped)")
    }

    @Test func thePDAHashIsTheDocumentedOne() throws {
        // pdaHash: sha256(seeds ‖ [bump] ‖ programId ‖ "ProgramDerivedAddress").
        let vector = SolanaVectors.findProgramAddress[0]
        let seeds = vector["seedsHex"]!.arrayValue!.map { try! Hex.decode($0.stringValue!) }
        let program = try SolanaPublicKey(base58: vector.text("programId"))
        let bump = UInt8(vector.int("bump"))
        let manual = Array(SHA256.hash(data: seeds.flatMap { $0 } + [bump] + program.bytes + Array("ProgramDerivedAddress".utf8)))
        #expect(try SolanaProgramAddress.create(seeds: seeds + [[bump]], programId: program).bytes == manual)
        #expect(SolanaVectors.document["pdaHash"]?.stringValue?.contains("ProgramDerivedAddress") == true)
    }

    @Test func createRefusesOnCurveHashesAndBadSeeds() throws {
        let vector = SolanaVectors.findProgramAddress.first { !$0["skippedOnCurveBumps"]!.arrayValue!.isEmpty }!
        let seeds = vector["seedsHex"]!.arrayValue!.map { try! Hex.decode($0.stringValue!) }
        let program = try SolanaPublicKey(base58: vector.text("programId"))
        #expect(throws: SolanaAddressError.onCurve) { try SolanaProgramAddress.create(seeds: seeds + [[255]], programId: program) }
        #expect(throws: SolanaAddressError.seedTooLong(index: 1, length: 33)) {
            try SolanaProgramAddress.create(seeds: [[1], [UInt8](repeating: 0, count: 33)], programId: program)
        }
        #expect(throws: SolanaAddressError.tooManySeeds(17)) {
            try SolanaProgramAddress.create(seeds: Array(repeating: [1], count: 17), programId: program)
        }
        #expect(throws: SolanaAddressError.tooManySeeds(17)) {
            try SolanaProgramAddress.find(seeds: Array(repeating: [1], count: 16), programId: program)
        }
        // 15 seeds plus the bump is the limit, and works.
        _ = try SolanaProgramAddress.find(seeds: Array(repeating: [1], count: 15), programId: program)
        #expect(SolanaAddressError.seedTooLong(index: 0, length: 40).code == "solana.seed_too_long")
    }

    @Test func derivedAddressesAreOffTheCurve() throws {
        for vector in SolanaVectors.findProgramAddress.prefix(40) {
            #expect(!(try SolanaPublicKey(base58: vector.text("address"))).isOnCurve)
        }
    }

    @Test func tokenProgramsRoundTripTheirIds() {
        for program in SolanaTokenProgram.allCases { #expect(SolanaTokenProgram(id: program.id) == program) }
        #expect(SolanaTokenProgram(id: .memoProgram) == nil)
        #expect(SolanaPublicKey.systemProgram.bytes == [UInt8](repeating: 0, count: 32))
    }
}
