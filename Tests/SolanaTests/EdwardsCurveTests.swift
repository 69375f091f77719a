// Purse — Solana tests.

import PurseCore
import Testing

@testable import Solana

@Suite struct EdwardsCurveTests {
    /// Every `isOnCurve` vector: random strings, real keys, and the cases where a strict point
    /// check (libsodium's) disagrees with Solana's — small order, torsion, non-canonical y, x = 0
    /// with the sign bit set.
    @Test func everyVectorAgreesWithSolders() throws {
        var kinds: [String: Int] = [:]
        for vector in SolanaVectors.isOnCurve {
            let bytes = vector.hex("bytesHex")
            #expect(EdwardsCurve.isOnCurve(bytes) == vector["onCurve"]?.boolValue, "\(vector.text("kind")) \(vector.text("base58"))")
            #expect(try SolanaPublicKey(base58: vector.text("base58")).isOnCurve == vector["onCurve"]?.boolValue)
            kinds[vector.text("kind"), default: 0] += 1
        }
        #expect(SolanaVectors.isOnCurve.count == 334)
        for kind in ["random", "publicKey", "primeOrderPoint", "withTorsionComponent", "nonCanonicalY", "xZeroSignBitSet", "allZero", "allOnes"] {
            #expect(kinds[kind, default: 0] > 0, "the vectors cover \(kind)")
        }
        #expect((0..<8).allSatisfy { kinds["smallOrder\($0)"] == 1 })
    }

    @Test func theLooseCasesAreOnTheCurve() throws {
        // Solana accepts what dalek's decompress accepts: all of these are "on the curve".
        let loose = SolanaVectors.isOnCurve.filter {
            ["withTorsionComponent", "xZeroSignBitSet", "allZero"].contains($0.text("kind")) || $0.text("kind").hasPrefix("smallOrder")
        }
        #expect(!loose.isEmpty)
        for vector in loose { #expect(EdwardsCurve.isOnCurve(vector.hex("bytesHex"))) }
    }

    @Test func wrongLengthIsNotAPoint() {
        #expect(!EdwardsCurve.isOnCurve([UInt8](repeating: 0, count: 31)))
    }

    @Test func fieldArithmetic() {
        let p = FieldElement.p
        #expect(FieldElement(littleEndian: p.littleEndianBytes) == .zero, "p reduces to 0")
        let minusOne = FieldElement.zero - .one
        #expect(minusOne + .one == .zero)
        #expect(minusOne * minusOne == .one)
        // d · 121666 = −121665 (mod p).
        #expect(FieldElement.d * FieldElement(121_666) == FieldElement.zero - FieldElement(121_665))
        // 2^255 − 1 loads as 18 (bit 255 is ignored: 2^255 − 1 − p = 18).
        var allOnes = [UInt8](repeating: 0xff, count: 32)
        #expect(FieldElement(littleEndian: allOnes) == FieldElement(18))
        allOnes[31] = 0x7f
        #expect(FieldElement(littleEndian: allOnes) == FieldElement(18))
        // −1 is a square (p ≡ 1 mod 4); 2 is not (p ≡ 5 mod 8).
        #expect(minusOne.isSquare)
        #expect(!FieldElement(2).isSquare)
        #expect(FieldElement(4).isSquare)
        // Fermat: a^(p−1) = 1.
        let pMinusOne: [UInt64] = [0xffff_ffff_ffff_ffec, .max, .max, 0x7fff_ffff_ffff_ffff]
        #expect(FieldElement(12345).power(pMinusOne) == .one)
    }

    @Test func multiplicationMatchesBigIntegerReference() {
        // (2^255 − 20)² mod p = 1 and (2^128)·(2^128) = 2^256 ≡ 38.
        let pMinus1 = FieldElement.zero - .one
        #expect(pMinus1 * pMinus1 == .one)
        var twoTo128 = [UInt8](repeating: 0, count: 32)
        twoTo128[16] = 1
        #expect(FieldElement(littleEndian: twoTo128) * FieldElement(littleEndian: twoTo128) == FieldElement(38))
    }
}
