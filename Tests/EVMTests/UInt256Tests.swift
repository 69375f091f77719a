// Purse — EVM tests.

import PurseCore
import Testing

@testable import EVM

@Suite struct UInt256Tests {
    static let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    @Test(arguments: ["0", "1", "10000", "18446744073709551615", "18446744073709551616",
                      "340282366920938463463374607431768211456", max])
    func decimalRoundTrip(text: String) throws {
        let value = try UInt256(decimal: text)
        #expect(value.decimalString == text)
        #expect(value.description == text)
        #expect(UInt256(bytes32: value.bytes32) == value)
    }

    @Test func leadingZerosAreAccepted() throws {
        #expect(try UInt256(decimal: "007") == UInt256(7))
    }

    @Test(arguments: [("", UInt256Error.empty), ("-1", .notDecimal), ("+1", .notDecimal), (" 1", .notDecimal),
                      ("1 ", .notDecimal), ("1.0", .notDecimal), ("1e3", .notDecimal), ("0x10", .notDecimal),
                      ("١", .notDecimal),  // Arabic-Indic digit one: not ASCII
                      ("115792089237316195423570985008687907853269984665640564039457584007913129639936", .overflow),
                      (String(repeating: "9", count: 100), .overflow)])
    func strictParsing(text: String, error: UInt256Error) {
        #expect(throws: error) { try UInt256(decimal: text) }
    }

    @Test func errorCodes() {
        #expect(UInt256Error.empty.code == "uint256.empty")
        #expect(UInt256Error.notDecimal.code == "uint256.not_decimal")
        #expect(UInt256Error.overflow.code == "uint256.overflow")
    }

    @Test func bytes32IsBigEndian() throws {
        let word = UInt256(0x0102).bytes32
        #expect(word.count == 32)
        #expect(word[30] == 0x01 && word[31] == 0x02 && word[0..<30].allSatisfy { $0 == 0 })
        #expect(try UInt256(decimal: Self.max).bytes32 == [UInt8](repeating: 0xff, count: 32))
        #expect(UInt256(bytes32: [0x01, 0x00]) == UInt256(256))
    }

    /// Words from an `eth_call` become decimal text through `UInt256(bytes32:)` alone (balances
    /// included). The expected digits were computed independently with Python's `int(hex, 16)`.
    @Test(arguments: [
        ("0de0b6b3a7640000", "1000000000000000000"),
        ("01" + String(repeating: "00", count: 31),
         "452312848583266388373324160190187140051835877600158453279131187530910662656"),
        (String(repeating: "ff", count: 16) + String(repeating: "00", count: 16),
         "115792089237316195423570985008687907852929702298719625575994209400481361428480"),
        (String(repeating: "0123456789abcdef", count: 4),
         "514631507721405306298073637848375664226723355710112857507800679889911926255"),
        (String(repeating: "00", count: 32), "0"),
    ])
    func wordToDecimal(hex: String, decimal: String) throws {
        let bytes = try Hex.decode(hex)
        #expect(UInt256(bytes32: bytes).decimalString == decimal)
        #expect(UInt256(bytes32: bytes).bytes32.suffix(bytes.count) == ArraySlice(bytes))
    }

    @Test func uint64Value() throws {
        #expect(UInt256(42).uint64Value == 42)
        #expect(try UInt256(decimal: "18446744073709551615").uint64Value == UInt64.max)
        #expect(try UInt256(decimal: "18446744073709551616").uint64Value == nil)
    }

    @Test func ordering() throws {
        let big = try UInt256(decimal: "18446744073709551616")
        #expect(UInt256(1) < UInt256(2))
        #expect(UInt256(UInt64.max) < big)
        #expect(!(big < UInt256(UInt64.max)))
        #expect(UInt256.zero < UInt256.max)
        #expect(Set([UInt256(5), UInt256(5), big]).count == 2)
    }
}
