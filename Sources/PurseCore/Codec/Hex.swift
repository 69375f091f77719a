/// Hexadecimal encoding and decoding of byte strings.
public enum Hex {
    /// Encodes bytes as lower-case hex, with a `0x` prefix unless `prefix` is false.
    ///
    /// Contiguous bytes (arrays, buffers) are written straight into the string's storage: this
    /// runs several times per payment (signature, nonce, every checksummed address), and the
    /// generic element-by-element path was most of the time of building a payment header.
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encode(buffer: UnsafeRawBufferPointer($0), prefix: prefix) }) { return s }
        return Array(bytes).withUnsafeBytes { encode(buffer: $0, prefix: prefix) }
    }

    private static func encode(buffer bytes: UnsafeRawBufferPointer, prefix: Bool) -> String {
        let start = prefix ? 2 : 0
        return String(unsafeUninitializedCapacity: start + bytes.count * 2) { out in
            if prefix { out[0] = 0x30; out[1] = 0x78 }
            var i = start
            for b in bytes {
                out[i] = hexDigit(b >> 4)
                out[i + 1] = hexDigit(b & 0x0f)
                i += 2
            }
            return i
        }
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// Decodes hex text with or without a `0x`/`0X` prefix.
    ///
    /// - Parameters:
    ///   - text: the hex text; upper and lower case are both accepted.
    ///   - length: when given, the exact number of bytes required.
    /// - Throws: `HexError` when a character is not hex, the digit count is odd, or the length differs.
    public static func decode(_ text: some StringProtocol, length: Int? = nil) throws(HexError) -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        if utf8.count >= 2, utf8.first == 0x30, let x = utf8.dropFirst().first, x == 0x78 || x == 0x58 {
            utf8 = utf8.dropFirst(2)
        }
        guard utf8.count % 2 == 0 else { throw HexError.oddLength }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var hi: UInt8 = 0
        var odd = false
        for c in utf8 {
            guard let v = digitValue(c) else { throw HexError.invalidCharacter }
            if odd { out.append(hi << 4 | v) } else { hi = v }
            odd.toggle()
        }
        if let length, out.count != length { throw HexError.wrongLength(expected: length, actual: out.count) }
        return out
    }

    /// The value of one hex digit (`0-9a-fA-F`), or nil.
    @inline(__always)
    static func digitValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

/// Why hex text could not be decoded.
public enum HexError: CodedError, Equatable {
    /// A character outside `0-9a-fA-F`.
    case invalidCharacter
    /// An odd number of hex digits.
    case oddLength
    /// The decoded length differs from the one required.
    case wrongLength(expected: Int, actual: Int)

    public var code: String {
        switch self {
        case .invalidCharacter: "hex.invalid_character"
        case .oddLength: "hex.odd_length"
        case .wrongLength: "hex.wrong_length"
        }
    }

    public var message: String {
        switch self {
        case .invalidCharacter: "not hexadecimal: only 0-9 and a-f are allowed after an optional 0x"
        case .oddLength: "hex text has an odd number of digits"
        case let .wrongLength(expected, actual): "expected \(expected) bytes of hex, got \(actual)"
        }
    }
}
