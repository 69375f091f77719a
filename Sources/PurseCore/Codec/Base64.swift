/// Standard base64 (RFC 4648 §4, alphabet `+/`, `=` padding), strict on input.
///
/// x402 headers use this encoding only; base64url and unpadded input are refused, as the
/// reference TypeScript decoders refuse them.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Encodes bytes as padded standard base64.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let n = UInt32(input[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(0x3d); out.append(0x3d)
        } else if rest == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(0x3d)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded standard base64; surrounding spaces and tabs are ignored.
    ///
    /// - Throws: `Base64Error` for a length that is not a multiple of four, a character outside
    ///   the alphabet (including `-` and `_` of base64url), misplaced padding, or non-zero pad bits.
    public static func decode(_ text: some StringProtocol) throws(Base64Error) -> [UInt8] {
        var bytes = Array(Substring(text).utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        guard bytes.count % 4 == 0 else { throw .badLength }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 4 * 3)
        var i = 0
        while i < bytes.count {
            let isLast = i + 4 == bytes.count
            let c0 = bytes[i], c1 = bytes[i + 1], c2 = bytes[i + 2], c3 = bytes[i + 3]
            let pad = (c3 == 0x3d ? 1 : 0) + (c2 == 0x3d ? 1 : 0)
            if pad > 0 {
                guard isLast, c3 == 0x3d else { throw .badPadding }
            }
            let v0 = reverse[Int(c0)], v1 = reverse[Int(c1)]
            let v2 = pad == 2 ? 0 : reverse[Int(c2)], v3 = pad >= 1 ? 0 : reverse[Int(c3)]
            if c0 == 0x3d || c1 == 0x3d { throw .badPadding }
            guard v0 != 0xff, v1 != 0xff, v2 != 0xff, v3 != 0xff else { throw .invalidCharacter }
            let n = UInt32(v0) << 18 | UInt32(v1) << 12 | UInt32(v2) << 6 | UInt32(v3)
            out.append(UInt8(n >> 16 & 0xff))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xff)) } else if n & 0xffff != 0 { throw .badPadding }
            if pad < 1 { out.append(UInt8(n & 0xff)) } else if n & 0xff != 0 { throw .badPadding }
            i += 4
        }
        return out
    }
}

/// Why base64 text could not be decoded.
public enum Base64Error: CodedError, Equatable {
    /// The length is not a multiple of four (unpadded input is refused).
    case badLength
    /// A character outside the standard alphabet, such as base64url's `-` or `_`.
    case invalidCharacter
    /// Padding in the wrong place, or non-zero bits under the padding.
    case badPadding

    public var code: String {
        switch self {
        case .badLength: "base64.bad_length"
        case .invalidCharacter: "base64.invalid_character"
        case .badPadding: "base64.bad_padding"
        }
    }

    public var message: String {
        switch self {
        case .badLength: "base64 length is not a multiple of 4 (only padded standard base64 is accepted)"
        case .invalidCharacter: "base64 has a character outside A-Z a-z 0-9 + / (base64url is not accepted)"
        case .badPadding: "base64 padding is misplaced or malformed"
        }
    }
}
