import PurseCore

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
        let utf8 = text.utf8
        guard !utf8.isEmpty else { throw X402Error(.badValue, field: field, "amount is empty") }
        if utf8.first == 0x2d { throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is negative") }
        if utf8.contains(0x2e) { throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is not a whole number of atomic units") }
        guard utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is not a string of decimal digits")
        }
        let trimmed = utf8.drop(while: { $0 == 0x30 })
        guard !trimmed.isEmpty else { throw X402Error(.badValue, field: field, "amount is zero") }
        guard trimmed.count <= 19, let v = Int64(Substring(trimmed)) else {
            throw X402Error(.badValue, field: field, "amount \(Self.clip(text)) is too large (more than \(Int64.max) atomic units)")
        }
        self.value = v
    }

    /// The amount in budget micro-units (rounded up), nil on overflow: `Micros(atomic:decimals:)`.
    public func micros(decimals: Int) -> Micros? { Micros(atomic: value, decimals: decimals) }

    public static func < (a: AtomicAmount, b: AtomicAmount) -> Bool { a.value < b.value }
    public var description: String { String(value) }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
}
