import PurseCore

/// Conversion of token amounts to budget micro-units (10^-6 of one whole token).
public enum Micros {
    /// Converts an atomic amount to micros, rounding up so a budget is never under-charged.
    ///
    /// `micros = ceil(atomic * 10^6 / 10^decimals)`, computed without overflow.
    /// - Throws: `LedgerError.badAmount` for a negative amount, decimals outside 0...36, or a
    ///   result above `Int64.max`.
    public static func from(atomic: Int64, decimals: Int) throws(LedgerError) -> Int64 {
        guard atomic >= 0 else { throw .badAmount("amount \(atomic) is negative") }
        guard (0...36).contains(decimals) else { throw .badAmount("token decimals \(decimals) are outside 0...36") }
        if decimals <= 6 {
            var factor: Int64 = 1
            for _ in 0..<(6 - decimals) { factor *= 10 }
            let (m, overflow) = atomic.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .badAmount("amount \(atomic) with \(decimals) decimals overflows 64-bit micro-units") }
            return m
        }
        let shift = decimals - 6
        // 10^19 exceeds Int64.max, so any divisor that large exceeds every amount: ceil gives 0 or 1.
        guard shift <= 18 else { return atomic > 0 ? 1 : 0 }
        var divisor: Int64 = 1
        for _ in 0..<shift { divisor *= 10 }
        let (q, r) = atomic.quotientAndRemainder(dividingBy: divisor)
        return r > 0 ? q + 1 : q
    }

    /// Formats micros as whole-token decimal text with at least `minFractionDigits` fraction digits.
    static func string(_ micros: Int64, minFractionDigits: Int = 2) -> String {
        AmountFormat.decimalString(atomic: micros, decimals: 6, minFractionDigits: minFractionDigits)
    }
}
