// Purse — PurseCore (pure; moved from the Solana module so that `ChainAccount`, the ledger and
// the Solana module share one base58).
// Base58 with the Bitcoin alphabet: how Solana writes keys, hashes and signatures.

/// Base58 (Bitcoin alphabet, no checksum), strict on input.
///
/// Solana writes every public key, blockhash and signature this way, and x402 offers carry them
/// as text. Decoding refuses anything that is not exactly the alphabet (no white space, no `0`,
/// `O`, `I` or `l`), so a mistyped or padded value is an error, never a different key. Each
/// leading `1` stands for one leading zero byte, which makes the encoding of a byte string unique:
/// checking the decoded length is enough to know the text was canonical.
public enum Base58 {
    /// The 58 symbols, in value order.
    static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// Symbol → value, 0xff for a byte outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The longest text `decode` accepts. Decoding is quadratic in the length, and the longest
    /// value Solana writes (a 64-byte signature or secret key) takes at most 88 symbols.
    public static let maxTextLength = 256

    /// Encodes bytes; zero bytes in front become `1`s and the empty input the empty string.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let zeros = input.prefix { $0 == 0 }.count
        // Base-58 digits of the rest, least significant first.
        var digits: [UInt8] = []
        digits.reserveCapacity(input.count * 138 / 100 + 1)
        for byte in input[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.reserveCapacity(zeros + digits.count)
        for d in digits.reversed() { out.append(alphabet[Int(d)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base58 text.
    ///
    /// - Parameters:
    ///   - text: the base58 text, with nothing around it.
    ///   - length: when given, the exact number of bytes the text must stand for.
    /// - Throws: `Base58Error` for empty text, text over `maxTextLength`, a symbol outside the
    ///   alphabet, or another length than `length`.
    public static func decode(_ text: some StringProtocol, length: Int? = nil) throws(Base58Error) -> [UInt8] {
        let symbols = Array(Substring(text).utf8)
        guard !symbols.isEmpty else { throw .empty }
        guard symbols.count <= maxTextLength else { throw .tooLong(symbols.count) }
        let ones = symbols.prefix { $0 == alphabet[0] }.count
        // Base-256 digits of the value, least significant first.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(symbols.count * 733 / 1000 + 1)
        for (position, symbol) in symbols.enumerated() {
            let value = values[Int(symbol)]
            guard value != 0xff else { throw .invalidCharacter(position: position) }
            if position < ones { continue }
            var carry = Int(value)
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        let out = [UInt8](repeating: 0, count: ones) + bytes.reversed()
        if let length, out.count != length { throw .wrongLength(expected: length, actual: out.count) }
        return out
    }
}
