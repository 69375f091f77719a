// Purse — EVM tests.


import Testing

@testable import PurseCore

@Suite struct AddressTests {
    /// The examples in EIP-55 itself.
    static let eip55Examples = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]

    @Test(arguments: eip55Examples)
    func eip55RoundTrip(text: String) throws {
        let address = try Address(parsing: text)
        #expect(address.checksummed == text)
        #expect(address.description == text)
        #expect(address.bytes.count == 20)
        #expect(address.lowercased == text.lowercased())
    }

    @Test(arguments: eip55Examples)
    func lowerAndUpperCaseCarryNoChecksum(text: String) throws {
        let lower = try Address(parsing: text.lowercased())
        let upper = try Address(parsing: "0x" + text.dropFirst(2).uppercased())
        #expect(lower.checksummed == text)
        #expect(upper == lower)
    }

    @Test(arguments: eip55Examples)
    func oneLetterCaseFlipIsBadChecksum(text: String) throws {
        var chars = Array(text)
        let i = try #require(chars.indices.dropFirst(2).first { chars[$0].isLetter })
        chars[i] = chars[i].isUppercase ? Character(chars[i].lowercased()) : Character(chars[i].uppercased())
        #expect(throws: AddressError.badChecksum) { try Address(parsing: String(chars)) }
    }

    /// Checksums are remembered per address, in a table that empties when full: a wrong
    /// checksum of an address already seen is still refused, and after more than the table
    /// holds (300 other addresses, each checked against Keccak computed directly) every
    /// checksum is still right.
    @Test func rememberedChecksumsStayExact() throws {
        for text in Self.eip55Examples { _ = try Address(parsing: text) }
        for text in Self.eip55Examples {
            var chars = Array(text)
            let i = try #require(chars.indices.dropFirst(2).last { chars[$0].isLetter })
            chars[i] = chars[i].isUppercase ? Character(chars[i].lowercased()) : Character(chars[i].uppercased())
            #expect(throws: AddressError.badChecksum) { try Address(parsing: String(chars)) }
        }
        for n in 0..<300 {
            let bytes = (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n &* 7 &+ ($0 == 0 ? n >> 3 : 0)) }
            let address = try Address(bytes: bytes)
            let lower = Array(address.lowercased.utf8.dropFirst(2))
            let hash = Keccak256.hash(lower)
            let expected = "0x" + String(lower.enumerated().map { i, c -> Character in
                let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
                return Character(Unicode.Scalar(c >= 0x61 && nibble >= 8 ? c - 0x20 : c))
            })
            #expect(address.checksummed == expected)
            #expect(try Address(parsing: expected) == address)
        }
        for text in Self.eip55Examples { #expect(try Address(parsing: text).checksummed == text) }
    }

    @Test(arguments: [
        ("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", AddressError.missingPrefix),
        ("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", .missingPrefix),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", .badLength),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedaa", .badLength),
        ("0x", .badLength),
        ("", .missingPrefix),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", .notHex),
        ("0x0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", .notHex),  // a second prefix is not hex
        ("0x0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", .notHex),
    ])
    func badText(text: String, error: AddressError) {
        #expect(throws: error) { try Address(parsing: text) }
    }

    @Test func errorCodesAreDistinct() {
        let codes = [AddressError.missingPrefix, .badLength, .notHex, .badChecksum].map(\.code)
        #expect(codes == ["address.missing_prefix", "address.bad_length", "address.not_hex", "address.bad_checksum"])
    }

    @Test func bytesInitChecksLength() throws {
        #expect(throws: AddressError.badLength) { try Address(bytes: [UInt8](repeating: 1, count: 19)) }
        #expect(try Address(bytes: [UInt8](repeating: 0, count: 20)).checksummed == "0x0000000000000000000000000000000000000000")
    }
}
