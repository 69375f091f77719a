// Purse — Solana module (pure).
// Arithmetic modulo p = 2^255 - 19, just enough for Solana's "is this a curve point" test.

/// An integer modulo p = 2^255 − 19, always kept fully reduced (0 ≤ value < p).
///
/// Four 64-bit limbs, least significant first. Only what `EdwardsCurve.isOnCurve` needs is here:
/// loading 32 bytes the way curve25519-dalek does, add, subtract, multiply and exponentiation.
/// Nothing secret goes through it (it tests public keys and hashes), so it need not be
/// constant-time, and it is written for clarity rather than speed (a derivation costs a few
/// hundred multiplications).
struct FieldElement: Equatable, Sendable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    /// p = 2^255 − 19.
    static let p = FieldElement(l0: 0xffff_ffff_ffff_ffed, l1: .max, l2: .max, l3: 0x7fff_ffff_ffff_ffff)
    static let zero = FieldElement(l0: 0, l1: 0, l2: 0, l3: 0)
    static let one = FieldElement(l0: 1, l1: 0, l2: 0, l3: 0)

    /// The Edwards curve constant d = −121665/121666 mod p, little-endian limbs.
    static let d = FieldElement(l0: 0x75eb_4dca_1359_78a3, l1: 0x0070_0a4d_4141_d8ab, l2: 0x8cc7_4079_7779_e898, l3: 0x5203_6cee_2b6f_fe73)

    private init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// A small value.
    init(_ value: UInt64) { self.init(l0: value, l1: 0, l2: 0, l3: 0) }

    /// Loads 32 little-endian bytes as curve25519-dalek's `FieldElement::from_bytes` does: the top
    /// bit (bit 255) is ignored and a value from p to 2^255 − 1 is taken modulo p. This is what
    /// makes a non-canonical y (y ≥ p) decode instead of being refused.
    init(littleEndian bytes: [UInt8]) {
        precondition(bytes.count == 32, "a field element is loaded from 32 bytes")
        func limb(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for j in (0..<8).reversed() { v = v << 8 | UInt64(bytes[i * 8 + j]) }
            return v
        }
        self.init(l0: limb(0), l1: limb(1), l2: limb(2), l3: limb(3) & 0x7fff_ffff_ffff_ffff)
        reduceOnce()
    }

    /// The canonical 32 little-endian bytes.
    var littleEndianBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in [l0, l1, l2, l3] {
            for j in 0..<8 { out.append(UInt8(truncatingIfNeeded: limb >> (8 * UInt64(j)))) }
        }
        return out
    }

    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// Whether the limbs, read as an integer, are at least p.
    private var isAtLeastP: Bool {
        if l3 != Self.p.l3 { return l3 > Self.p.l3 }
        if l2 != Self.p.l2 { return l2 > Self.p.l2 }
        if l1 != Self.p.l1 { return l1 > Self.p.l1 }
        return l0 >= Self.p.l0
    }

    /// Subtracts p when the value is at least p (values here are always below 2p when called).
    private mutating func reduceOnce() {
        if isAtLeastP { self = Self.subtractingWithBorrow(self, Self.p).value }
    }

    /// The 256-bit difference a − b and whether it borrowed.
    private static func subtractingWithBorrow(_ a: FieldElement, _ b: FieldElement) -> (value: FieldElement, borrow: Bool) {
        let (d0, b0) = a.l0.subtractingReportingOverflow(b.l0)
        var (d1, b1) = a.l1.subtractingReportingOverflow(b.l1)
        var c1 = false
        if b0 { (d1, c1) = d1.subtractingReportingOverflow(1) }
        var (d2, b2) = a.l2.subtractingReportingOverflow(b.l2)
        var c2 = false
        if b1 || c1 { (d2, c2) = d2.subtractingReportingOverflow(1) }
        var (d3, b3) = a.l3.subtractingReportingOverflow(b.l3)
        var c3 = false
        if b2 || c2 { (d3, c3) = d3.subtractingReportingOverflow(1) }
        return (FieldElement(l0: d0, l1: d1, l2: d2, l3: d3), b3 || c3)
    }

    /// The 256-bit sum a + b and its carry out.
    private static func addingWithCarry(_ a: FieldElement, _ b: FieldElement) -> (value: FieldElement, carry: Bool) {
        var limbs: [UInt64] = [0, 0, 0, 0]
        var carry: UInt64 = 0
        for (i, (x, y)) in zip([a.l0, a.l1, a.l2, a.l3], [b.l0, b.l1, b.l2, b.l3]).enumerated() {
            let (s1, o1) = x.addingReportingOverflow(y)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            limbs[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return (FieldElement(l0: limbs[0], l1: limbs[1], l2: limbs[2], l3: limbs[3]), carry != 0)
    }

    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        // a, b < p < 2^255, so the sum fits in 256 bits and is below 2p.
        var sum = addingWithCarry(a, b).value
        sum.reduceOnce()
        return sum
    }

    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        let (difference, borrow) = subtractingWithBorrow(a, b)
        // On a borrow the limbs hold a − b + 2^256; adding p wraps that back to a − b + p.
        return borrow ? addingWithCarry(difference, p).value : difference
    }

    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let x = [a.l0, a.l1, a.l2, a.l3], y = [b.l0, b.l1, b.l2, b.l3]
        // Schoolbook product into eight limbs.
        var t = [UInt64](repeating: 0, count: 8)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (high, low) = x[i].multipliedFullWidth(by: y[j])
                let (s1, o1) = t[i + j].addingReportingOverflow(low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                t[i + j] = s2
                // high ≤ 2^64 − 2, so adding two carry bits cannot overflow.
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            t[i + 4] = carry
        }
        // 2^256 ≡ 38 (mod p): fold the high half in as 38·high.
        var r = [UInt64](repeating: 0, count: 5)
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (high, low) = t[i + 4].multipliedFullWidth(by: 38)
            let (s1, o1) = t[i].addingReportingOverflow(low)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[i] = s2
            carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        }
        r[4] = carry
        // Fold the fifth limb (at most 38) the same way, then once more for a last carry.
        var top = r[4] &* 38
        for _ in 0..<2 {
            var c = top
            for i in 0..<4 {
                let (s, o) = r[i].addingReportingOverflow(c)
                r[i] = s
                c = o ? 1 : 0
            }
            top = c * 38
        }
        var out = FieldElement(l0: r[0], l1: r[1], l2: r[2], l3: r[3])
        // Now out < 2^256 = 2p + 38: at most two subtractions of p.
        out.reduceOnce()
        out.reduceOnce()
        return out
    }

    /// self^exponent, the exponent given as four little-endian 64-bit limbs.
    func power(_ exponent: [UInt64]) -> FieldElement {
        var result = FieldElement.one
        for limb in exponent.reversed() {
            for bit in (0..<64).reversed() {
                result = result * result
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// (p − 1) / 2 = 2^254 − 10: Euler's criterion exponent.
    static let eulerExponent: [UInt64] = [0xffff_ffff_ffff_fff6, .max, .max, 0x3fff_ffff_ffff_ffff]

    /// Whether this is a square modulo p (zero counts as a square), by Euler's criterion:
    /// a^((p−1)/2) is 1 for a non-zero square and p − 1 for a non-square.
    var isSquare: Bool {
        isZero || power(Self.eulerExponent) == .one
    }
}
