/// Hexadecimal encoding and decoding of byte strings.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lower-case hex, with a `0x` prefix unless `prefix` is false.
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        var out: [UInt8] = prefix ? [0x30, 0x78] : []
        out.reserveCapacity(out.count + bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

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
            guard let v = value(c) else { throw HexError.invalidCharacter }
            if odd { out.append(hi << 4 | v) } else { hi = v }
            odd.toggle()
        }
        if let length, out.count != length { throw HexError.wrongLength(expected: length, actual: out.count) }
        return out
    }

    @inline(__always)
    private static func value(_ c: UInt8) -> UInt8? {
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
