/// A token amount in atomic units (the integer the chain sees), parsed strictly from x402 text.
public struct AtomicAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value. Purse refuses amounts above `Int64.max` atomic units.
    public let value: Int64

    /// Creates an amount from an integer.
    public init(_ value: Int64) { self.value = value }

    /// Parses an x402 amount: a JSON *string* of decimal digits with no sign, point or exponent.
    ///
    /// - Throws: `X402Error` (`x402.bad_value`) naming `field` for negative, fractional, exponent,
    ///   empty, zero or too-large amounts.
    public init(parsing text: String, field: String) throws(X402Error) {
        guard !text.isEmpty else { throw X402Error(.badValue, field: field, "amount is empty") }
        if text.hasPrefix("-") { throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is negative") }
        if text.contains(".") { throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is not a whole number of atomic units") }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is not a string of decimal digits")
        }
        let trimmed = text.drop(while: { $0 == "0" })
        guard !trimmed.isEmpty else { throw X402Error(.badValue, field: field, "amount is zero") }
        guard trimmed.utf8.count <= 19, let v = Int64(trimmed) else {
            throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is too large (more than \(Int64.max) atomic units)")
        }
        self.value = v
    }

    /// The amount in micro-units of the whole token (10⁻⁶), rounded up; nil on overflow.
    ///
    /// Budgets are kept in micro-units so that tokens with different decimals add up; for
    /// 6-decimal USDC this is the atomic amount itself.
    public func micros(decimals: Int) -> Int64? {
        Self.micros(atomic: value, decimals: decimals)
    }

    /// Converts atomic units to micro-units of the whole token, rounding up; nil on overflow.
    public static func micros(atomic: Int64, decimals: Int) -> Int64? {
        guard atomic >= 0, decimals >= 0, decimals <= 36 else { return nil }
        if decimals == 6 { return atomic }
        if decimals < 6 {
            var v = atomic
            for _ in decimals..<6 {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                if o { return nil }
                v = m
            }
            return v
        }
        var divisor: Int64 = 1
        for _ in 6..<decimals {
            let (m, o) = divisor.multipliedReportingOverflow(by: 10)
            if o { return atomic == 0 ? 0 : 1 }  // more than 18 extra decimals: any non-zero amount is < 1 micro
            divisor = m
        }
        let (q, r) = atomic.quotientAndRemainder(dividingBy: divisor)
        return r == 0 ? q : q + 1
    }

    public static func < (a: AtomicAmount, b: AtomicAmount) -> Bool { a.value < b.value }
    public var description: String { String(value) }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
}
