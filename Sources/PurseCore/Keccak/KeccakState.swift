// Purse — PurseCore (pure).
// Keccak-f[1600] state and permutation behind `Keccak256`.

/// The 25-lane Keccak-f[1600] state, absorbed and squeezed by `Keccak256`.
///
/// The permutation is fully unrolled within a round and keeps the lanes in locals, so one call
/// does no memory traffic beyond loading and storing the state once.
struct KeccakState {
    var s0: UInt64 = 0
    var s1: UInt64 = 0
    var s2: UInt64 = 0
    var s3: UInt64 = 0
    var s4: UInt64 = 0
    var s5: UInt64 = 0
    var s6: UInt64 = 0
    var s7: UInt64 = 0
    var s8: UInt64 = 0
    var s9: UInt64 = 0
    var s10: UInt64 = 0
    var s11: UInt64 = 0
    var s12: UInt64 = 0
    var s13: UInt64 = 0
    var s14: UInt64 = 0
    var s15: UInt64 = 0
    var s16: UInt64 = 0
    var s17: UInt64 = 0
    var s18: UInt64 = 0
    var s19: UInt64 = 0
    var s20: UInt64 = 0
    var s21: UInt64 = 0
    var s22: UInt64 = 0
    var s23: UInt64 = 0
    var s24: UInt64 = 0

    /// The 24 round constants of Keccak-f[1600] (iota step).
    static let roundConstants: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]

    /// XORs one 136-byte block (17 little-endian lanes) into the rate part of the state.
    @inline(__always)
    mutating func absorb(block p: UnsafeRawPointer) {
        s0 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        s1 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        s2 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        s3 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        s4 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
        s5 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
        s6 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 48, as: UInt64.self))
        s7 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 56, as: UInt64.self))
        s8 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 64, as: UInt64.self))
        s9 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 72, as: UInt64.self))
        s10 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 80, as: UInt64.self))
        s11 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 88, as: UInt64.self))
        s12 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 96, as: UInt64.self))
        s13 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 104, as: UInt64.self))
        s14 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 112, as: UInt64.self))
        s15 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 120, as: UInt64.self))
        s16 ^= UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 128, as: UInt64.self))
    }

    /// Applies the 24-round Keccak-f[1600] permutation.
    mutating func permute() {
        var a0 = s0, a1 = s1, a2 = s2, a3 = s3, a4 = s4, a5 = s5, a6 = s6, a7 = s7, a8 = s8, a9 = s9, a10 = s10, a11 = s11, a12 = s12, a13 = s13, a14 = s14, a15 = s15, a16 = s16, a17 = s17, a18 = s18, a19 = s19, a20 = s20, a21 = s21, a22 = s22, a23 = s23, a24 = s24
        @inline(__always) func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 &- n)) }
        Self.roundConstants.withUnsafeBufferPointer { constants in
            for rc in constants {
                let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                let d0 = c4 ^ rotl(c1, 1)
                let d1 = c0 ^ rotl(c2, 1)
                let d2 = c1 ^ rotl(c3, 1)
                let d3 = c2 ^ rotl(c4, 1)
                let d4 = c3 ^ rotl(c0, 1)
                let b0 = a0 ^ d0
                let b10 = rotl(a1 ^ d1, 1)
                let b20 = rotl(a2 ^ d2, 62)
                let b5 = rotl(a3 ^ d3, 28)
                let b15 = rotl(a4 ^ d4, 27)
                let b16 = rotl(a5 ^ d0, 36)
                let b1 = rotl(a6 ^ d1, 44)
                let b11 = rotl(a7 ^ d2, 6)
                let b21 = rotl(a8 ^ d3, 55)
                let b6 = rotl(a9 ^ d4, 20)
                let b7 = rotl(a10 ^ d0, 3)
                let b17 = rotl(a11 ^ d1, 10)
                let b2 = rotl(a12 ^ d2, 43)
                let b12 = rotl(a13 ^ d3, 25)
                let b22 = rotl(a14 ^ d4, 39)
                let b23 = rotl(a15 ^ d0, 41)
                let b8 = rotl(a16 ^ d1, 45)
                let b18 = rotl(a17 ^ d2, 15)
                let b3 = rotl(a18 ^ d3, 21)
                let b13 = rotl(a19 ^ d4, 8)
                let b14 = rotl(a20 ^ d0, 18)
                let b24 = rotl(a21 ^ d1, 2)
                let b9 = rotl(a22 ^ d2, 61)
                let b19 = rotl(a23 ^ d3, 56)
                let b4 = rotl(a24 ^ d4, 14)
                a0 = b0 ^ (~b1 & b2)
                a1 = b1 ^ (~b2 & b3)
                a2 = b2 ^ (~b3 & b4)
                a3 = b3 ^ (~b4 & b0)
                a4 = b4 ^ (~b0 & b1)
                a5 = b5 ^ (~b6 & b7)
                a6 = b6 ^ (~b7 & b8)
                a7 = b7 ^ (~b8 & b9)
                a8 = b8 ^ (~b9 & b5)
                a9 = b9 ^ (~b5 & b6)
                a10 = b10 ^ (~b11 & b12)
                a11 = b11 ^ (~b12 & b13)
                a12 = b12 ^ (~b13 & b14)
                a13 = b13 ^ (~b14 & b10)
                a14 = b14 ^ (~b10 & b11)
                a15 = b15 ^ (~b16 & b17)
                a16 = b16 ^ (~b17 & b18)
                a17 = b17 ^ (~b18 & b19)
                a18 = b18 ^ (~b19 & b15)
                a19 = b19 ^ (~b15 & b16)
                a20 = b20 ^ (~b21 & b22)
                a21 = b21 ^ (~b22 & b23)
                a22 = b22 ^ (~b23 & b24)
                a23 = b23 ^ (~b24 & b20)
                a24 = b24 ^ (~b20 & b21)
                a0 ^= rc
            }
        }
        s0 = a0
        s1 = a1
        s2 = a2
        s3 = a3
        s4 = a4
        s5 = a5
        s6 = a6
        s7 = a7
        s8 = a8
        s9 = a9
        s10 = a10
        s11 = a11
        s12 = a12
        s13 = a13
        s14 = a14
        s15 = a15
        s16 = a16
        s17 = a17
        s18 = a18
        s19 = a19
        s20 = a20
        s21 = a21
        s22 = a22
        s23 = a23
        s24 = a24
    }
}
