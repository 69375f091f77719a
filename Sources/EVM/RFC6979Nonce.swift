// Purse — EVM module.
// libsecp256k1's deterministic signing nonces, with a faster SHA-256.

import CSecp256k1

/// The RFC 6979 nonce libsecp256k1 derives for a signature, computed with BoringSSL's SHA-256.
///
/// Why: libsecp256k1 derives each signature's nonce with HMAC-SHA256 over its own portable
/// SHA-256 (Debian's 0.2.0): about sixteen compressions that took 4.7 µs of the 27 µs a
/// signature costs here, a tenth of a payment's whole client work. BoringSSL's SHA-256, which
/// swift-crypto links anyway, uses the CPU's SHA instructions. The nonces are the same bytes as
/// libsecp256k1's own function returns, so the signatures are too (the tests compare both over
/// many keys, digests and retry counters): this changes the speed of signing, never a
/// signature. Where BoringSSL is not linked (swift-crypto uses CryptoKit on Apple platforms),
/// libsecp256k1's own function is used.
///
/// The derivation is RFC 6979 §3.2 as libsecp256k1 applies it: the HMAC key material is the
/// secret key followed by the digest reduced modulo the curve order (`int2octets(x) ‖
/// bits2octets(h1)`), with no extra data; retry `counter` (a nonce out of range, about 2⁻¹²⁸)
/// takes the next output of the same generator.
enum RFC6979Nonce {
    /// The nonce function handed to libsecp256k1.
    static let function: secp256k1_nonce_function = {
        #if canImport(CCryptoBoringSSL)
        return { nonce32, msg32, key32, algo16, data, counter in
            // Anything this was not written for (extra data, an algorithm tag) goes to libsecp256k1's own.
            guard let nonce32, let msg32, let key32, algo16 == nil, data == nil else {
                return secp256k1_nonce_function_rfc6979(nonce32, msg32, key32, algo16, data, counter)
            }
            derive(into: nonce32, digest: msg32, key: key32, counter: counter)
            return 1
        }
        #else
        return secp256k1_nonce_function_rfc6979
        #endif
    }()

    #if canImport(CCryptoBoringSSL)
    /// Writes the nonce of (`key`, `digest`) for retry `counter` to `out` (32 bytes each).
    static func derive(into out: UnsafeMutablePointer<UInt8>, digest: UnsafePointer<UInt8>, key: UnsafePointer<UInt8>, counter: UInt32) {
        // seed = key ‖ (digest mod n); v, k: the generator's state. All on the stack, zeroed after.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64 + 32 + 32 + 2) { buffer in
            let scratch = buffer.baseAddress!
            let seed = UnsafeMutableRawBufferPointer(start: scratch, count: 64)
            let v = UnsafeMutableRawBufferPointer(start: scratch + 64, count: 32)
            let k = UnsafeMutableRawBufferPointer(start: scratch + 96, count: 32)
            scratch[128] = 0x00
            scratch[129] = 0x01
            let zero = UnsafeRawBufferPointer(start: scratch + 128, count: 1)
            let one = UnsafeRawBufferPointer(start: scratch + 129, count: 1)
            defer { buffer.update(repeating: 0) }
            seed.copyMemory(from: UnsafeRawBufferPointer(start: key, count: 32))
            reduceModOrder(digest, into: scratch + 32)
            v.initializeMemory(as: UInt8.self, repeating: 0x01)
            k.initializeMemory(as: UInt8.self, repeating: 0x00)
            // §3.2 d–g: K = HMAC_K(V ‖ 00 ‖ seed), V = HMAC_K(V), K = HMAC_K(V ‖ 01 ‖ seed), V = HMAC_K(V).
            var hmac = KeyedSHA256(key: UnsafeRawBufferPointer(k))
            defer { hmac.wipe() }
            for round in 0..<2 {
                let separator = round == 0 ? zero : one
                hmac.mac(into: k, UnsafeRawBufferPointer(v), separator, UnsafeRawBufferPointer(seed))
                hmac = KeyedSHA256(key: UnsafeRawBufferPointer(k))
                hmac.mac(into: v, UnsafeRawBufferPointer(v))
            }
            // §3.2 h: each output is V = HMAC_K(V); before a retry, K = HMAC_K(V ‖ 00), V = HMAC_K(V).
            for attempt in 0...counter {
                if attempt > 0 {
                    hmac.mac(into: k, UnsafeRawBufferPointer(v), zero)
                    hmac = KeyedSHA256(key: UnsafeRawBufferPointer(k))
                    hmac.mac(into: v, UnsafeRawBufferPointer(v))
                }
                hmac.mac(into: v, UnsafeRawBufferPointer(v))
            }
            out.update(from: scratch + 64, count: 32)
        }
    }
    #endif

    /// `bits2octets` for a 32-byte digest: the digest minus n when it is at least n (once is
    /// enough, since 2²⁵⁶ < 2n). The digest is public, so comparing it is not a leak.
    static func reduceModOrder(_ digest: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
        let n = Secp256k1.order
        var below = false
        for i in 0..<32 where digest[i] != n[i] {
            below = digest[i] < n[i]
            break
        }
        // Equal to n also subtracts, giving zero, as a scalar reduction does.
        guard !below else {
            out.update(from: digest, count: 32)
            return
        }
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let d = Int(digest[i]) - Int(n[i]) - borrow
            out[i] = UInt8(truncatingIfNeeded: d)
            borrow = d < 0 ? 1 : 0
        }
    }
}
