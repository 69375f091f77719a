import PurseCore

/// Why one offered option may or may not be paid.
public struct OptionVerdict: Sendable, Equatable {
    /// One reason an option was refused.
    public struct Reason: Sendable, Equatable, CustomStringConvertible {
        /// A stable code such as `option.network_not_allowed`.
        public let code: String
        /// The explanation for a human.
        public let message: String
        public var description: String { message }
    }

    /// The position of the option in the server's `accepts` list.
    public let index: Int
    /// The parsed option, or nil when it did not parse.
    public let requirement: PaymentRequirement?
    /// The known asset it pays in, when known.
    public let asset: AssetInfo?
    /// The price in budget micro-units, when the asset is known.
    public let micros: Micros?
    /// `payTo` as a checked address, when it is one.
    public let payTo: Address?
    /// The token contract as a checked address, when the asset is known and it is one.
    public let token: Address?
    /// Every reason it was refused; empty when it may be paid.
    public let reasons: [Reason]

    /// Whether the option may be paid.
    public var allowed: Bool { reasons.isEmpty }
}
