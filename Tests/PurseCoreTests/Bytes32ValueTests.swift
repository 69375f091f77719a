import Testing
@testable import PurseCore

/// The two 32-byte values the ledger stores as `0x` + 64 hex digits check their length and
/// write the same form (`Bytes32Value`), while staying distinct types.
@Suite struct Bytes32ValueTests {
    static let bytes = (0..<32).map { UInt8($0 * 7 & 0xff) }

    @Test func bothWriteAndReadTheSameHexForm() throws {
        let nonce = try Nonce32(bytes: Self.bytes)
        let digest = try SolanaMessageDigest(bytes: Self.bytes)
        #expect(nonce.hex == digest.hex)
        #expect(nonce.hex.hasPrefix("0x") && nonce.hex.count == 66 && nonce.hex == nonce.hex.lowercased())
        #expect(nonce.description == nonce.hex)
        #expect(try Nonce32(hex: nonce.hex) == nonce)
        #expect(try SolanaMessageDigest(hex: digest.hex.uppercased().replacingOccurrences(of: "0X", with: "0x")) == digest)
    }

    @Test(arguments: [0, 31, 33, 64])
    func anyOtherLengthIsRefused(count: Int) {
        let bytes = [UInt8](repeating: 1, count: count)
        #expect(throws: HexError.wrongLength(expected: 32, actual: count)) { try Nonce32(bytes: bytes) }
        #expect(throws: HexError.wrongLength(expected: 32, actual: count)) { try SolanaMessageDigest(bytes: bytes) }
    }

    @Test func hexOfAnotherLengthOrNotHexIsRefused() {
        #expect(throws: HexError.self) { try Nonce32(hex: "0x" + String(repeating: "ab", count: 31)) }
        #expect(throws: HexError.self) { try SolanaMessageDigest(hex: "0x" + String(repeating: "zz", count: 32)) }
    }
}
