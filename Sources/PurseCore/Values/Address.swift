// Purse — PurseCore (pure).
// A 20-byte Ethereum account address with EIP-55 mixed-case checksums.

/// A 20-byte Ethereum address, parsed strictly and printed with its EIP-55 checksum.
public struct Address: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    /// Creates an address from exactly 20 bytes.
    ///
    /// - Throws: `AddressError.badLength` for any other count.
    public init(bytes: [UInt8]) throws(AddressError) {
        guard bytes.count == 20 else { throw AddressError.badLength }
        self.bytes = bytes
    }

    /// Parses `0x` followed by 40 hex digits.
    ///
    /// All-lower-case and all-upper-case digits carry no checksum and are accepted; mixed case
    /// must match EIP-55 exactly.
    /// - Throws: `AddressError.missingPrefix`, `.badLength`, `.notHex` or `.badChecksum`.
    public init(parsing text: String) throws(AddressError) {
        // One pass over the bytes, no intermediate strings: every offer's asset and payee and
        // every configured address go through here, so it runs several times per payment.
        var text = text
        let parsed: Result<[UInt8], AddressError> = text.withUTF8 { utf8 in
            guard utf8.count >= 2, utf8[0] == 0x30, utf8[1] == 0x78 else { return .failure(.missingPrefix) }
            guard utf8.count == 42 else { return .failure(.badLength) }
            var bytes = [UInt8](repeating: 0, count: 20)
            var hasLower = false, hasUpper = false
            for i in 0..<40 {
                let c = utf8[2 + i]
                guard let v = Hex.digitValue(c) else { return .failure(.notHex) }
                if c >= 0x61 { hasLower = true } else if c >= 0x41 { hasUpper = true }
                if i % 2 == 0 { bytes[i / 2] = v << 4 } else { bytes[i / 2] |= v }
            }
            // Mixed case must be the EIP-55 checksum, which is the checksummed form exactly.
            if hasLower && hasUpper {
                var expected = Self.checksummedText(bytes)
                guard expected.withUTF8({ $0.elementsEqual(utf8) }) else { return .failure(.badChecksum) }
            }
            return .success(bytes)
        }
        self.bytes = try parsed.get()
    }

    /// The address with the EIP-55 mixed-case checksum, such as `0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266`.
    public var checksummed: String { Self.checksummedText(bytes) }

    /// The checksummed form of `bytes`, remembered per address: a payment parses its payee and
    /// token (a mixed-case address is valid exactly when it is this form) and prints the payer
    /// and payee, and each took a Keccak-256 (four of the nine Keccak permutations of a
    /// payment's client work). A process meets few addresses, and the table empties when full,
    /// so a catalog of many addresses costs what it did without it.
    private static func checksummedText(_ bytes: [UInt8]) -> String {
        checksums.value(for: Address(trusted: bytes)) { address in
            let bytes = address.bytes
            let lower = Array(Hex.encode(bytes, prefix: false).utf8)
            let hash = Keccak256.hash(lower)
            return String(unsafeUninitializedCapacity: 42) { out in
                out[0] = 0x30
                out[1] = 0x78
                for (i, c) in lower.enumerated() {
                    out[2 + i] = c >= 0x61 && checksumUpper(i, hash) ? c - 0x20 : c
                }
                return 42
            }
        }
    }

    private static let checksums = BoundedMemo<Address, String>(capacity: 256)

    /// EIP-55: the letter at hex digit `i` is upper case exactly when that digit's nibble of
    /// `hash`, the Keccak-256 of the lower-case digits, is 8 or more.
    private static func checksumUpper(_ i: Int, _ hash: [UInt8]) -> Bool {
        (i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f) >= 8
    }

    /// Hashes the 20 bytes in one call: the synthesized hash fed them to the hasher one at a
    /// time, and the remembered checksums and EIP-712 domains are looked up by address on every
    /// payment.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The address in lower-case hex with `0x`.
    public var lowercased: String { Hex.encode(bytes) }

    /// The checksummed form, as `checksummed`.
    public var description: String { checksummed }

    /// The address of the account that owns a public key: the last 20 bytes of its Keccak-256.
    ///
    /// - Parameter uncompressed64: the 64-byte uncompressed point X‖Y, without the `0x04` tag.
    /// - Precondition: `uncompressed64.count == 64`.
    public static func fromPublicKey(uncompressed64: [UInt8]) -> Address {
        precondition(uncompressed64.count == 64, "an uncompressed public key is 64 bytes without its 0x04 tag")
        return Address(trusted: Array(Keccak256.hash(uncompressed64)[12...]))
    }

    /// Creates an address from bytes already known to be 20 long.
    init(trusted bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Decodes the text form (any valid case); stored values are checksummed.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Address(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the checksummed form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(checksummed)
    }
}
