/// Coordinates for SVG attributes: one decimal at most, no exponent, short.
enum SVGNumber {
    /// `12`, `12.5`, `-3.2`.
    static func text(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }
}
