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
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == 0x30, utf8[1] == 0x78 else { throw AddressError.missingPrefix }
        let digits = utf8[2...]
        guard digits.count == 40 else { throw AddressError.badLength }
        let decoded: [UInt8]
        do {
            // The length pins 20 bytes, so a second "0x" inside the digits cannot be skipped.
            decoded = try Hex.decode(String(decoding: digits, as: UTF8.self), length: 20)
        } catch {
            throw AddressError.notHex
        }
        self.bytes = decoded
        let hasLower = digits.contains { (0x61...0x66).contains($0) }
        let hasUpper = digits.contains { (0x41...0x46).contains($0) }
        if hasLower && hasUpper {
            guard checksummed.utf8.elementsEqual(utf8) else { throw AddressError.badChecksum }
        }
    }

    /// The address with the EIP-55 mixed-case checksum, such as `0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266`.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(lower)
        var out: [UInt8] = [0x30, 0x78]
        out.reserveCapacity(42)
        for (i, c) in lower.enumerated() {
            let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            out.append(c >= 0x61 && nibble >= 8 ? c - 0x20 : c)
        }
        return String(decoding: out, as: UTF8.self)
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
