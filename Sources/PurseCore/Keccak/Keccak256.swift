// Purse — PurseCore (pure).
// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS-202 SHA3 (0x06).

/// The Keccak-256 hash used throughout Ethereum (addresses, selectors, EIP-712, keystore MACs).
///
/// This is the sponge over Keccak-f[1600] with a 136-byte rate and the original `0x01` domain
/// padding, so it differs from FIPS-202 `SHA3-256`. It allocates only its 32-byte result.
public enum Keccak256 {
    /// The sponge rate in bytes (1600 − 2 × 256 bits).
    static let rate = 136

    /// Hashes bytes to a 32-byte Keccak-256 digest.
    ///
    /// - Parameter bytes: the message; contiguous collections are hashed in place.
    /// - Returns: the 32-byte digest.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// Hashes the UTF-8 bytes of a string.
    public static func hash(utf8 text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes the bytes in a raw buffer; the core of every other entry point.
    static func hash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var state = KeccakState()
        var offset = 0
        let count = input.count
        if let base = input.baseAddress {
            while count - offset >= rate {
                state.absorb(block: base + offset)
                state.permute()
                offset += rate
            }
        }
        // Final block: the tail, then padding 0x01 … 0x80 (the same byte when only one is free).
        var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &block) { buf in
            let tail = count - offset
            if tail > 0, let base = input.baseAddress {
                buf.baseAddress!.copyMemory(from: base + offset, byteCount: tail)
            }
            buf[tail] ^= 0x01
            buf[rate - 1] ^= 0x80
            state.absorb(block: UnsafeRawPointer(buf.baseAddress!))
        }
        state.permute()
        return [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
            let raw = UnsafeMutableRawPointer(out.baseAddress!)
            raw.storeBytes(of: state.s0.littleEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: state.s1.littleEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: state.s2.littleEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: state.s3.littleEndian, toByteOffset: 24, as: UInt64.self)
            initialized = 32
        }
    }
}
