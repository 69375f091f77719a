// Purse — PurseCore (moved from EVM: X402 payloads need uint256 decimal text too).
// A minimal unsigned 256-bit integer: enough for EIP-712 uint256 fields and ABI return values.

/// An unsigned 256-bit integer, as used for token amounts and timestamps in EIP-712 and the ABI.
///
/// It only converts: to and from decimal text, big-endian 32-byte words and `UInt64`. It does no
/// arithmetic; amounts are compared, encoded and decoded, never computed here.
///
/// It is the project's one big-endian → decimal conversion: wherever a 32-byte word (an
/// `eth_call` result, a log's data) becomes decimal text, go through `UInt256(bytes32:)` and
/// `decimalString` rather than a local digit loop, so there is one implementation to test.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The four 64-bit limbs, most significant first.
    private var limbs: (UInt64, UInt64, UInt64, UInt64)

    /// Zero.
    public static let zero = UInt256(0)
    /// The largest value, 2^256 − 1.
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    private init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// Creates a value from a 64-bit unsigned integer.
    public init(_ v: UInt64) {
        limbs = (0, 0, 0, v)
    }

    /// Parses strict decimal text: ASCII digits only, no sign, no spaces, at most 2^256 − 1.
    ///
    /// Leading zeros are accepted (`"007"` is 7), as every EVM tool accepts them.
    /// - Throws: `UInt256Error.empty`, `.notDecimal` or `.overflow`.
    public init(decimal: String) throws(UInt256Error) {
        var words: [UInt64] = [0, 0, 0, 0]  // least significant first while parsing
        var sawDigit = false
        for c in decimal.utf8 {
            guard c >= 0x30, c <= 0x39 else { throw UInt256Error.notDecimal }
            sawDigit = true
            var carry = UInt64(c - 0x30)
            for i in 0..<4 {
                let (hi, lo) = words[i].multipliedFullWidth(by: 10)
                let (sum, overflow) = lo.addingReportingOverflow(carry)
                words[i] = sum
                carry = hi + (overflow ? 1 : 0)
            }
            guard carry == 0 else { throw UInt256Error.overflow }
        }
        guard sawDigit else { throw UInt256Error.empty }
        limbs = (words[3], words[2], words[1], words[0])
    }

    /// Creates a value from big-endian bytes: normally a 32-byte ABI word; shorter input is
    /// treated as left-padded with zeros.
    ///
    /// - Precondition: `bytes32.count <= 32`.
    public init(bytes32: [UInt8]) {
        precondition(bytes32.count <= 32, "UInt256 takes at most 32 bytes")
        var padded = [UInt8](repeating: 0, count: 32 - bytes32.count)
        padded.append(contentsOf: bytes32)
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for b in padded[(i * 8)..<(i * 8 + 8)] { w = w << 8 | UInt64(b) }
            return w
        }
        limbs = (word(0), word(1), word(2), word(3))
    }

    /// The value as a big-endian 32-byte word (the ABI encoding of a `uint256`).
    public var bytes32: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for w in [limbs.0, limbs.1, limbs.2, limbs.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(shift))) }
        }
        return out
    }

    /// The value in decimal, without leading zeros (`"0"` for zero).
    public var decimalString: String {
        if limbs.0 == 0, limbs.1 == 0, limbs.2 == 0 { return String(limbs.3) }
        var words = [limbs.0, limbs.1, limbs.2, limbs.3]  // most significant first
        var chunks: [UInt64] = []  // base 10^19, least significant first
        let base: UInt64 = 10_000_000_000_000_000_000
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in 0..<4 {
                let (q, r) = base.dividingFullWidth((high: remainder, low: words[i]))
                words[i] = q
                remainder = r
            }
            chunks.append(remainder)
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }

    /// The value as a `UInt64`, or nil when it is 2^64 or more.
    public var uint64Value: UInt64? {
        limbs.0 == 0 && limbs.1 == 0 && limbs.2 == 0 ? limbs.3 : nil
    }

    /// The decimal text, as `decimalString`.
    public var description: String { decimalString }

    /// Whether two values are equal.
    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs == rhs.limbs
    }

    /// Whether the left value is smaller.
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        (lhs.limbs.0, lhs.limbs.1, lhs.limbs.2, lhs.limbs.3) < (rhs.limbs.0, rhs.limbs.1, rhs.limbs.2, rhs.limbs.3)
    }

    /// Feeds the value into a hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }
}
