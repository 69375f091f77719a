/// Formats token amounts for humans: `0.01 USDC`.
public enum AmountText {
    /// Formats atomic units of a token with `decimals` as a decimal string, trailing zeros
    /// trimmed but at least two fractional digits (`0.01`, `1.50`, `0.000001`).
    public static func decimal(atomic: Int64, decimals: Int) -> String {
        let negative = atomic < 0
        var digits = String(atomic.magnitude)
        guard decimals > 0 else { return (negative ? "-" : "") + digits }
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let intPart = digits.prefix(digits.count - decimals)
        var frac = Substring(digits.suffix(decimals))
        while frac.count > 2, frac.last == "0" { frac = frac.dropLast() }
        return (negative ? "-" : "") + intPart + "." + frac
    }

    /// Formats atomic units with a symbol: `0.01 USDC`.
    public static func format(atomic: Int64, decimals: Int, symbol: String) -> String {
        "\(decimal(atomic: atomic, decimals: decimals)) \(symbol)"
    }

    /// Formats micro-units (10⁻⁶ of a token) with a symbol.
    public static func format(micros: Int64, symbol: String) -> String {
        format(atomic: micros, decimals: 6, symbol: symbol)
    }
}
