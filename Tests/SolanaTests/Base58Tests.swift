// Purse — Solana tests.

import PurseCore
import Testing

@testable import Solana

@Suite struct Base58Tests {
    /// The Bitcoin Core base58 vectors (src/test/data/base58_encode_decode.json).
    static let bitcoinVectors: [(String, String)] = [
        ("", ""), ("61", "2g"), ("626262", "a3gV"), ("636363", "aPEr"),
        ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
        ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
        ("516b6fcd0f", "ABnLTmg"), ("bf4f89001e670274dd", "3SEo3LWLoPntC"), ("572e4794", "3EFU7m"),
        ("ecac89cad93923c02321", "EJDM8drfXA6uyA"), ("10c8511e", "Rt5zm"), ("00000000000000000000", "1111111111"),
        ("000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
         "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),
    ]

    @Test func bitcoinVectorsEncodeAndDecode() throws {
        for (hex, text) in Self.bitcoinVectors {
            let bytes = try Hex.decode(hex)
            #expect(Base58.encode(bytes) == text)
            if !text.isEmpty { #expect(try Base58.decode(text) == bytes) }
        }
    }

    @Test func solanaValuesRoundTrip() throws {
        #expect(try Base58.decode("11111111111111111111111111111111", length: 32) == [UInt8](repeating: 0, count: 32))
        for vector in SolanaVectors.isOnCurve {
            let bytes = vector.hex("bytesHex")
            #expect(Base58.encode(bytes) == vector.text("base58"))
            #expect(try Base58.decode(vector.text("base58"), length: 32) == bytes)
        }
    }

    @Test func randomBytesRoundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        for length in 0..<80 {
            var bytes = (0..<length).map { _ in rng.next() as UInt8 }
            if length > 3 { bytes[0] = 0; bytes[1] = 0 }
            let text = Base58.encode(bytes)
            if length > 0 { #expect(try Base58.decode(text) == bytes) }
        }
    }

    @Test(arguments: ["0", "O", "I", "l", " 1", "1 ", "abc+", "é", "1\n"])
    func charactersOutsideTheAlphabetAreRefused(text: String) {
        #expect(throws: Base58Error.self) { try Base58.decode(text) }
        do { _ = try Base58.decode(text) } catch { #expect(error.code == "base58.invalid_character") }
    }

    @Test func emptyTooLongAndWrongLengthAreTyped() {
        #expect(throws: Base58Error.empty) { try Base58.decode("") }
        #expect(throws: Base58Error.tooLong(257)) { try Base58.decode(String(repeating: "2", count: 257)) }
        // One leading "1" too many is one zero byte too many: a different length, refused.
        #expect(throws: Base58Error.wrongLength(expected: 32, actual: 33)) {
            try Base58.decode("111111111111111111111111111111111", length: 32)
        }
        #expect(Base58Error.wrongLength(expected: 32, actual: 33).code == "base58.wrong_length")
    }

    @Test func errorMessagesNeverRepeatTheText() {
        let secretish = "4eXYRQqsLc4Ebvbjkbc6o5pXw1dsdBvgd7ZdGjQQqLQSCB5GhyqbwsD5VYMgQuEYBmway3JDvLwWbkFX0bPma7LG"
        do { _ = try Base58.decode(secretish) } catch {
            #expect(!error.message.contains("4eXYRQ"))
            #expect(error == .invalidCharacter(position: 80))
        }
    }
}
