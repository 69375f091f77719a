/// The report's colours, chosen to be told apart with any colour vision and in greyscale print.
///
/// Settled and pending are the Okabe–Ito blue and orange (distinct for the common colour-vision
/// deficiencies); pending also carries a hatch, so it still differs from settled in greyscale.
/// Every text colour is at least 4.5:1 against its background (WCAG AA).
enum ReportPalette {
    /// Settled spend (Okabe–Ito blue).
    static let settled = "#0072B2"
    /// Pending spend (Okabe–Ito orange).
    static let pending = "#E69F00"
    /// A limit nearly used (over 80 %).
    static let warning = "#B35900"
    /// A limit used up, and unknown payments (Okabe–Ito vermilion, darkened for text contrast).
    static let alert = "#B8420B"
    /// What is left of a limit.
    static let track = "#E6E9ED"
    /// Body text (15.8:1 on white).
    static let ink = "#1B1F24"
    /// Secondary text (6.4:1 on white).
    static let muted = "#57606A"
    /// Grid lines.
    static let grid = "#D0D7DE"
}
