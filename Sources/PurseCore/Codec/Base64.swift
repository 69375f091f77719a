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
    ///
    /// Written straight into the string's storage from contiguous bytes: every payment header
    /// is one of these, and appending character by character was a fifth of building one.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return s }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let count = (input.count + 2) / 3 * 4
        return alphabet.withUnsafeBufferPointer { abc in
            String(unsafeUninitializedCapacity: count) { out in
                var i = 0, o = 0
                while i + 3 <= input.count {
                    let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = abc[Int(n >> 18 & 63)]; out[o + 1] = abc[Int(n >> 12 & 63)]
                    out[o + 2] = abc[Int(n >> 6 & 63)]; out[o + 3] = abc[Int(n & 63)]
                    i += 3
                    o += 4
                }
                let rest = input.count - i
                if rest > 0 {
                    let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                    out[o] = abc[Int(n >> 18 & 63)]; out[o + 1] = abc[Int(n >> 12 & 63)]
                    out[o + 2] = rest == 2 ? abc[Int(n >> 6 & 63)] : 0x3d
                    out[o + 3] = 0x3d
                    o += 4
                }
                return o
            }
        }
    }

    /// Decodes padded standard base64; surrounding spaces and tabs are ignored.
    ///
    /// - Throws: `Base64Error` for a length that is not a multiple of four, a character outside
    ///   the alphabet (including `-` and `_` of base64url), misplaced padding, or non-zero pad bits.
    public static func decode(_ text: some StringProtocol) throws(Base64Error) -> [UInt8] {
        var s = String(text)
        let result: Result<[UInt8], Base64Error> = s.withUTF8 { decode(buffer: $0) }
        return try result.get()
    }

    private static func decode(buffer all: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Base64Error> {
        var start = 0, end = all.count
        while end > start, all[end - 1] == 0x20 || all[end - 1] == 0x09 { end -= 1 }
        while start < end, all[start] == 0x20 || all[start] == 0x09 { start += 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
        guard bytes.count % 4 == 0 else { return .failure(.badLength) }
        var failure: Base64Error?
        let out = reverse.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: bytes.count / 4 * 3) { out, written in
                var i = 0, o = 0
                while i < bytes.count {
                    let isLast = i + 4 == bytes.count
                    let c0 = bytes[i], c1 = bytes[i + 1], c2 = bytes[i + 2], c3 = bytes[i + 3]
                    let pad = (c3 == 0x3d ? 1 : 0) + (c2 == 0x3d ? 1 : 0)
                    if pad > 0, !isLast || c3 != 0x3d { failure = .badPadding; break }
                    let v0 = table[Int(c0)], v1 = table[Int(c1)]
                    let v2 = pad == 2 ? 0 : table[Int(c2)], v3 = pad >= 1 ? 0 : table[Int(c3)]
                    if c0 == 0x3d || c1 == 0x3d { failure = .badPadding; break }
                    guard v0 != 0xff, v1 != 0xff, v2 != 0xff, v3 != 0xff else { failure = .invalidCharacter; break }
                    let n = UInt32(v0) << 18 | UInt32(v1) << 12 | UInt32(v2) << 6 | UInt32(v3)
                    out[o] = UInt8(n >> 16 & 0xff)
                    o += 1
                    if pad < 2 { out[o] = UInt8(n >> 8 & 0xff); o += 1 } else if n & 0xffff != 0 { failure = .badPadding; break }
                    if pad < 1 { out[o] = UInt8(n & 0xff); o += 1 } else if n & 0xff != 0 { failure = .badPadding; break }
                    i += 4
                }
                written = o
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
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
