// Purse — EVM tests.

import PurseCore
import Testing

@testable import EVM

@Suite struct PrivateKeyTests {
    static let hardhat0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

    @Test func hardhatAccountZeroAddress() throws {
        let key = try PrivateKey(hex: Self.hardhat0)
        #expect(key.address.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    }

    @Test func upperCaseHexDigitsAreAccepted() throws {
        let key = try PrivateKey(hex: "0x" + Self.hardhat0.dropFirst(2).uppercased())
        #expect(key.address.checksummed == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    }

    @Test(arguments: [
        (String(hardhat0.dropFirst(2)), KeyError.missingPrefix),
        ("0X" + hardhat0.dropFirst(2), .missingPrefix),
        ("", .missingPrefix),
        (String(hardhat0.dropLast(2)), .badLength),
        (hardhat0 + "00", .badLength),
        (hardhat0 + "\n", .badLength),
        ("0x" + String(repeating: "g", count: 64), .notHex),
        ("0x" + String(repeating: "0", count: 64), .zero),
        // n itself, and n + 1, and 2^256 - 1: all out of range.
        ("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", .outOfRange),
        ("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", .outOfRange),
        ("0x" + String(repeating: "f", count: 64), .outOfRange),
    ])
    func badHex(text: String, error: KeyError) {
        #expect(throws: error) { try PrivateKey(hex: text) }
    }

    @Test func largestValidKeyIsAccepted() throws {
        // n - 1 is the largest valid scalar.
        let key = try PrivateKey(hex: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")
        #expect(key.address.bytes.count == 20)
        #expect(try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1]).address.checksummed
            == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")  // the well-known address of key 1
    }

    @Test func bytesInitChecksLength() {
        #expect(throws: KeyError.badLength) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: KeyError.badLength) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 33)) }
    }

    @Test func errorCodesAreDistinct() {
        let codes = [KeyError.missingPrefix, .badLength, .notHex, .zero, .outOfRange].map(\.code)
        #expect(codes == ["key.missing_prefix", "key.bad_length", "key.not_hex", "key.zero", "key.out_of_range"])
    }

    @Test func randomKeysDiffer() {
        let addresses = Set((0..<8).map { _ in PrivateKey.random().address })
        #expect(addresses.count == 8)
    }

    @Test func withUnsafeKeyBytesLendsTheKey() throws {
        let key = try PrivateKey(hex: Self.hardhat0)
        #expect(key.withUnsafeKeyBytes { Hex.encode($0) } == Self.hardhat0)
    }

    @Test(arguments: [hardhat0, "0x0000000000000000000000000000000000000000000000000000000000000001"])
    func descriptionsAndReflectionAreRedacted(hex: String) throws {
        let key = try PrivateKey(hex: hex)
        let secretHex = String(hex.dropFirst(2))
        let secretTail = String(secretHex.suffix(16))  // also catch partial or decimal-free leaks
        var dumped = ""
        dump(key, to: &dumped)
        var dumpedInArray = ""
        dump([key], to: &dumpedInArray)
        let mirrorText = Mirror(reflecting: key).children.map { "\($0.label ?? ""): \($0.value)" }.joined(separator: ",")
        let views = [
            String(describing: key), String(reflecting: key), "\(key)", dumped, dumpedInArray,
            mirrorText, String(describing: [key]), String(describing: Optional(key)),
        ]
        for view in views {
            #expect(!view.lowercased().contains(secretHex), "key leaked in: \(view.prefix(40))…")
            #expect(!view.lowercased().contains(secretTail))
            #expect(view.contains(key.address.checksummed))
        }
        // The bytes as a Swift array literal would be another way to leak.
        let arrayForm = key.withUnsafeKeyBytes { "\($0)" }
        for view in views { #expect(!view.contains(arrayForm)) }
    }
}
