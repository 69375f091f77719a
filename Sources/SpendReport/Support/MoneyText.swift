import PurseCore

/// How amounts read in the report: exact decimals, never through floating point.
enum MoneyText {
    /// Budget micros as the spend-log JSON writes them (`"0.01"`, shortest exact form): the
    /// value of every `data-amount` attribute, so a test can compare the page with spend-log.
    static func exact(_ micros: Int64) -> String {
        AmountFormat.decimalString(atomic: micros, decimals: 6)
    }

    /// Budget micros for people: at least two decimals, with the symbol (`0.01 USDC`).
    static func display(_ micros: Int64, _ symbol: String) -> String {
        AmountFormat.decimalString(atomic: micros, decimals: 6, minFractionDigits: 2) + " " + symbol
    }

    /// Budget micros for an axis label: two decimals, more only when the value needs them.
    static func axis(_ micros: Int64) -> String {
        AmountFormat.decimalString(atomic: micros, decimals: 6, minFractionDigits: 2)
    }
}
