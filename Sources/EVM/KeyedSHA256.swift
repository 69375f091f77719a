// Purse — EVM module.
// HMAC-SHA256 with its key blocks absorbed once, for RFC 6979.

#if canImport(CCryptoBoringSSL)
import CCryptoBoringSSL

/// HMAC-SHA256 under one 32-byte key, with the two padded key blocks absorbed once: RFC 6979
/// computes several HMACs under each key.
///
/// BoringSSL's SHA-256 (swift-crypto's, already linked; it uses the CPU's SHA instructions)
/// on stack contexts: swift-crypto's `SHA256` allocates a context object per hasher and per
/// copy, which cost more than the hashing at this size.
struct KeyedSHA256 {
    private var inner = SHA256_CTX()
    private var outer = SHA256_CTX()

    /// Absorbs `key ⊕ ipad` and `key ⊕ opad` (RFC 2104); the padded block is zeroed after.
    init(key: UnsafeRawBufferPointer) {
        precondition(key.count == 32, "an RFC 6979 HMAC key is 32 bytes")
        CCryptoBoringSSL_SHA256_Init(&inner)
        CCryptoBoringSSL_SHA256_Init(&outer)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { pad in
            for i in 0..<64 { pad[i] = (i < 32 ? key[i] : 0) ^ 0x36 }
            CCryptoBoringSSL_SHA256_Update(&inner, pad.baseAddress, 64)
            for i in 0..<64 { pad[i] = (i < 32 ? key[i] : 0) ^ 0x5c }
            CCryptoBoringSSL_SHA256_Update(&outer, pad.baseAddress, 64)
            pad.update(repeating: 0)
        }
    }

    /// Writes HMAC(key, first ‖ second ‖ third) to `out` (32 bytes); `out` may be one of the
    /// parts. (Fixed parts, not variadic: a variadic call allocates its array.)
    func mac(into out: UnsafeMutableRawBufferPointer, _ first: UnsafeRawBufferPointer,
             _ second: UnsafeRawBufferPointer? = nil, _ third: UnsafeRawBufferPointer? = nil) {
        var h = inner
        CCryptoBoringSSL_SHA256_Update(&h, first.baseAddress, first.count)
        if let second { CCryptoBoringSSL_SHA256_Update(&h, second.baseAddress, second.count) }
        if let third { CCryptoBoringSSL_SHA256_Update(&h, third.baseAddress, third.count) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { innerHash in
            CCryptoBoringSSL_SHA256_Final(innerHash.baseAddress, &h)
            var o = outer
            CCryptoBoringSSL_SHA256_Update(&o, innerHash.baseAddress, 32)
            CCryptoBoringSSL_SHA256_Final(out.baseAddress!.assumingMemoryBound(to: UInt8.self), &o)
            innerHash.update(repeating: 0)
            Self.wipe(&o)
        }
        Self.wipe(&h)
    }

    /// Zeroes a context that held key-derived state.
    static func wipe(_ ctx: inout SHA256_CTX) {
        withUnsafeMutableBytes(of: &ctx) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// Zeroes both contexts; call when done with the key.
    mutating func wipe() {
        Self.wipe(&inner)
        Self.wipe(&outer)
    }
}
#endif
