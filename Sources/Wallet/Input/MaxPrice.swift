import PurseCore

/// The caller's `max_price` (`--max-price`, a tool's `max_price`): decimal text in whole tokens,
/// which can only lower the per-request cap. Parsed here once for both faces.
public enum MaxPrice {
    /// Parses `text` (nil means no cap given).
    ///
    /// - Throws: `PurseError` `input.bad_max_price` naming the expected form.
    public static func parse(_ text: String?, field: String) throws(PurseError) -> Micros? {
        guard let text else { return nil }
        do { return try Micros(parsing: text) } catch {
            throw PurseError("input.bad_max_price", "\(field) must be a decimal amount such as 0.05")
        }
    }
}
