import Testing
@testable import PurseCore

@Suite struct Base64Tests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(_ plain: String, _ encoded: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: [
        ("Zg", Base64Error.badLength), ("Zm8", .badLength), ("Zg=", .badLength), ("Z===", .badPadding),
        ("Zm9v-_8=", .invalidCharacter), ("Zm9v YmFy", .badLength), ("Zg==Zg==", .badPadding), ("Zh==", .badPadding),
        ("Zm9=", .badPadding), ("====", .badPadding), ("Z!==", .invalidCharacter),
    ])
    func rejectsNonStandard(_ text: String, _ error: Base64Error) {
        #expect(throws: error) { try Base64.decode(text) }
    }

    @Test func allByteValuesRoundTrip() throws {
        let bytes = (0..<256).map { UInt8($0) }
        #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
    }
}

@Suite struct HexTests {
    @Test func roundTrip() throws {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "0x00abff")
        #expect(Hex.encode([0x0f], prefix: false) == "0f")
        #expect(try Hex.decode("0xABcd") == [0xab, 0xcd])
        #expect(try Hex.decode("abcd", length: 2) == [0xab, 0xcd])
    }

    @Test func rejectsBadInput() {
        #expect(throws: HexError.oddLength) { try Hex.decode("0xabc") }
        #expect(throws: HexError.invalidCharacter) { try Hex.decode("0xzz") }
        #expect(throws: HexError.wrongLength(expected: 3, actual: 2)) { try Hex.decode("abcd", length: 3) }
    }
}
