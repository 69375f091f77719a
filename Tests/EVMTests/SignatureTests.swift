// Purse — EVM tests.

import PurseCore
import Testing

@testable import EVM

@Suite struct SignatureTests {
    static let digest = Keccak256.hash(utf8: "purse")

    static func sample() throws -> (PrivateKey, Signature) {
        let key = try PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
        return (key, key.sign(digest: digest))
    }

    @Test func signingIsDeterministicAndRecoverable() throws {
        let (key, signature) = try Self.sample()
        #expect(key.sign(digest: Self.digest) == signature)
        #expect(signature.bytes.count == 65)
        #expect(signature.hex.count == 132 && signature.hex.hasPrefix("0x"))
        #expect([27, 28].contains(signature.v))
        #expect(try signature.recoverAddress(digest: Self.digest) == key.address)
        #expect(try signature.recoverAddress(digest: Keccak256.hash(utf8: "other")) != key.address)
    }

    @Test func manyRandomKeysSignLowSAndRecover() throws {
        for i in 0..<32 {
            let key = PrivateKey.random()
            let digest = Keccak256.hash(utf8: "message \(i)")
            let signature = key.sign(digest: digest)
            #expect(signature.isLowS)
            #expect(try signature.recoverAddress(digest: digest) == key.address)
            #expect(try Signature(bytes: signature.bytes) == signature)
        }
    }

    @Test(arguments: [UInt8(0), 1, 27, 28])
    func vIsNormalisedTo27Or28(v: UInt8) throws {
        let (_, signature) = try Self.sample()
        var bytes = signature.bytes
        bytes[64] = v
        let parsed = try Signature(bytes: bytes)
        #expect(parsed.v == (v % 27) + 27)
        #expect(parsed.r == signature.r && parsed.s == signature.s)
    }

    @Test func yParityZeroOrOneRecoversTheSameSigner() throws {
        let (key, signature) = try Self.sample()
        var bytes = signature.bytes
        bytes[64] -= 27
        #expect(try Signature(bytes: bytes).recoverAddress(digest: Self.digest) == key.address)
    }

    @Test func badInputs() throws {
        let (_, signature) = try Self.sample()
        #expect(throws: SignatureError.badLength) { try Signature(bytes: Array(signature.bytes.dropLast())) }
        var bytes = signature.bytes
        bytes[64] = 29
        #expect(throws: SignatureError.badV) { try Signature(bytes: bytes) }
        bytes = signature.bytes
        for i in 0..<32 { bytes[i] = 0 }
        #expect(throws: SignatureError.outOfRange) { try Signature(bytes: bytes) }
        bytes = signature.bytes
        for i in 32..<64 { bytes[i] = 0xff }
        #expect(throws: SignatureError.outOfRange) { try Signature(bytes: bytes) }
        #expect(throws: SignatureError.notHex) { try Signature(hex: "0xzz") }
        #expect(throws: SignatureError.badDigestLength) { try signature.recoverAddress(digest: [1, 2, 3]) }
    }

    @Test func errorCodesAreDistinct() {
        let all: [SignatureError] = [.badLength, .notHex, .badV, .outOfRange, .badDigestLength, .unrecoverable]
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(all.allSatisfy { $0.code.hasPrefix("signature.") })
    }
}
