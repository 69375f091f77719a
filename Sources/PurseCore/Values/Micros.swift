/// An amount in budget micro-units: 10⁻⁶ of one whole token.
///
/// Budgets add up payments made in tokens with different decimals, so every price is converted
/// once, rounding up so that a budget is never under-charged, and then travels as this type:
/// through the payment plan, the ledger row and every budget sum. For 6-decimal USDC a micro is
/// one atomic unit.
public struct Micros: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The number of micro-units (never negative when it comes from a price or a limit).
    public let value: Int64

    /// Wraps a count of micro-units.
    public init(_ value: Int64) { self.value = value }

    /// Nothing.
    public static let zero = Micros(0)

    /// Converts a token amount in atomic units to micro-units, rounding up; nil for a negative
    /// amount, decimals outside 0…36, or a result above `Int64.max`.
    ///
    /// This is the one conversion: the selector, the plan and the ledger all use it.
    public init?(atomic: Int64, decimals: Int) {
        guard atomic >= 0, (0...AmountFormat.maxDecimals).contains(decimals) else { return nil }
        if decimals <= 6 {
            var v = atomic
            for _ in decimals..<6 {
                let (m, overflow) = v.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                v = m
            }
            self.value = v
            return
        }
        var divisor: Int64 = 1
        for _ in 6..<decimals {
            let (m, overflow) = divisor.multipliedReportingOverflow(by: 10)
            if overflow {
                // More than 18 extra decimals: any non-zero amount is below one micro.
                self.value = atomic == 0 ? 0 : 1
                return
            }
            divisor = m
        }
        let (q, r) = atomic.quotientAndRemainder(dividingBy: divisor)
        self.value = r == 0 ? q : q + 1
    }

    /// Parses decimal text in whole-token units (`"0.05"`), as the config and `max_price` write it.
    ///
    /// - Throws: `AmountFormatError` for anything but plain digits with at most six decimals.
    public init(parsing text: String) throws(AmountFormatError) {
        self.value = try AmountFormat.atomic(fromDecimal: text, decimals: 6)
    }

    /// `self + other`, or nil when the sum would overflow (a budget check then refuses).
    public func adding(_ other: Micros) -> Micros? {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        return overflow ? nil : Micros(sum)
    }

    /// What is left of `self` after `spent`, never negative.
    public func remaining(after spent: Micros) -> Micros {
        let (r, overflow) = value.subtractingReportingOverflow(spent.value)
        return overflow ? .zero : Micros(max(0, r))
    }

    /// Decimal text in whole tokens with at least `minFractionDigits` fraction digits (`0.01`).
    public func decimalText(minFractionDigits: Int = 2) -> String {
        AmountFormat.decimalString(atomic: value, decimals: 6, minFractionDigits: minFractionDigits)
    }

    /// `0.01 USDC`.
    public func formatted(symbol: String) -> String { "\(decimalText()) \(symbol)" }

    public static func < (a: Micros, b: Micros) -> Bool { a.value < b.value }
    public var description: String { decimalText() }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
