import PurseCore

/// Formats token amounts for humans: `0.01 USDC`.
public enum AmountText {
    /// Formats atomic units of a token with `decimals` as a decimal string, trailing zeros
    /// trimmed but at least two fractional digits (`0.01`, `1.50`, `0.000001`).
    public static func decimal(atomic: Int64, decimals: Int) -> String {
        AmountFormat.decimalString(atomic: atomic, decimals: decimals, minFractionDigits: min(2, max(0, decimals)))
    }

    /// Formats atomic units with a symbol: `0.01 USDC`.
    public static func format(atomic: Int64, decimals: Int, symbol: String) -> String {
        "\(decimal(atomic: atomic, decimals: decimals)) \(symbol)"
    }

}
