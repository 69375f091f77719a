/// Parses the human's decimal amounts (`"0.10"`) into integer units.
public enum DecimalAmount {
    /// Parses a non-negative decimal string with at most `decimals` fractional digits into units
    /// of 10^-decimals. No sign, exponent, spaces or thousands separators are accepted.
    ///
    /// - Returns: nil when the text is not such a number or does not fit in `Int64`.
    public static func parse(_ text: String, decimals: Int) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let intPart = parts.first, !intPart.isEmpty || parts.count == 2 else { return nil }
        let frac = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !frac.isEmpty, frac.count <= decimals else { return nil }
        guard (intPart + frac).utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), intPart.utf8.count <= 19 else { return nil }
        var value: Int64 = 0
        for c in (intPart + frac + String(repeating: "0", count: decimals - frac.count)).utf8 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }
}
