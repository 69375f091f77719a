import PurseCore

/// The client's idempotency key of the `payment-identifier` extension: 16–128 characters of
/// `[A-Za-z0-9_-]`, chosen once per call and sent in `extensions["payment-identifier"].info.id`.
///
/// A seller that dedupes by it answers a resend of the same signed payload from its cache, so a
/// lost answer can be recovered without paying twice; the ledger keeps it (and the exact signed
/// bytes) so that what was sent can always be shown.
public struct PaymentIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The extension's key in `extensions`.
    public static let extensionKey = "payment-identifier"
    /// The shortest valid id.
    public static let minLength = 16
    /// The longest valid id.
    public static let maxLength = 128

    /// The id text.
    public let value: String

    /// Wraps an id, refusing any that is not 16–128 characters of `[A-Za-z0-9_-]`.
    public init?(_ value: String) {
        guard Self.isValid(value) else { return nil }
        self.value = value
    }

    /// A fresh id, `pay_` and 32 hex digits of 16 random bytes (the form the reference SDKs make).
    ///
    /// - Precondition: `random` holds at least 16 bytes.
    public init(random: [UInt8]) {
        precondition(random.count >= 16, "a payment identifier needs 16 random bytes")
        value = "pay_" + Hex.encode(random.prefix(16), prefix: false)
    }

    /// Whether `text` is a valid id.
    public static func isValid(_ text: String) -> Bool {
        let u = text.utf8
        guard (minLength...maxLength).contains(u.count) else { return false }
        return u.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x2d
        }
    }

    public var description: String { value }
}
