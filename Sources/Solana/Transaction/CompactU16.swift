// Purse — Solana module (pure).

/// Solana's "short vec" length prefix: a u16 in one to three bytes, seven bits per byte, least
/// significant first, the high bit meaning "more follows".
///
/// Decoding is as strict as the Solana runtime's: no value above 65535, no redundant trailing
/// zero byte (so each length has exactly one encoding, and a parsed transaction re-serializes to
/// the same bytes).
enum CompactU16 {
    /// The encoding of `value`.
    static func encode(_ value: Int, into out: inout [UInt8]) {
        precondition(value >= 0 && value <= 0xffff, "a short-vec length is a u16")
        var rest = value
        while true {
            let low = UInt8(rest & 0x7f)
            rest >>= 7
            if rest == 0 {
                out.append(low)
                return
            }
            out.append(low | 0x80)
        }
    }

    /// Reads a length at `offset`, advancing it.
    ///
    /// - Throws: `SolanaTransactionError.malformed` for a truncated, overlong or non-canonical encoding.
    static func decode(_ bytes: [UInt8], at offset: inout Int) throws(SolanaTransactionError) -> Int {
        var value = 0
        for i in 0..<3 {
            guard offset < bytes.count else { throw .malformed("truncated length prefix") }
            let byte = bytes[offset]
            offset += 1
            // The third byte may only carry the top two bits of a u16.
            if i == 2, byte > 0x03 { throw .malformed("length prefix overflows a u16") }
            value |= Int(byte & 0x7f) << (7 * i)
            if byte & 0x80 == 0 {
                if i > 0, byte == 0 { throw .malformed("non-canonical length prefix") }
                return value
            }
        }
        throw .malformed("length prefix overflows a u16")
    }
}
