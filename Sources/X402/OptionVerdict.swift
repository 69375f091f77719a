import PurseCore

/// Why one offered option may or may not be paid.
public struct OptionVerdict: Sendable, Equatable {
    /// One reason an option was refused.
    public struct Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// A stable code such as `option.network_not_allowed`.
        public let code: String
        /// The explanation for a human.
        public let message: String
        public var description: String { message }

        /// Creates a reason.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The position of the option in the server's `accepts` list.
    public let index: Int
    /// The parsed option, or nil when it did not parse.
    public let requirement: PaymentRequirement?
    /// How it would be paid (scheme and transfer method), when Purse knows how.
    public let method: PaymentMethod?
    /// The known asset it pays in, when known.
    public let asset: AssetInfo?
    /// The price in budget micro-units, when the asset is known (for `upto`, of the maximum).
    public let micros: Micros?
    /// `payTo` as a checked account of the option's chain, when it is one.
    public let payTo: ChainAccount?
    /// The token as a checked account, when the asset is known and it is one.
    public let token: ChainAccount?
    /// Every reason it was refused; empty when it may be paid.
    public let reasons: [Reason]

    /// Creates a verdict.
    public init(index: Int, requirement: PaymentRequirement?, method: PaymentMethod? = nil, asset: AssetInfo?, micros: Micros?,
                payTo: ChainAccount?, token: ChainAccount?, reasons: [Reason]) {
        self.index = index
        self.requirement = requirement
        self.method = method
        self.asset = asset
        self.micros = micros
        self.payTo = payTo
        self.token = token
        self.reasons = reasons
    }

    /// Whether the option may be paid.
    public var allowed: Bool { reasons.isEmpty }

    /// The same verdict with one more reason: what the flow learns after selection (from the
    /// chain, such as a missing Permit2 allowance) refuses the option the same way.
    public func refused(_ reason: Reason) -> OptionVerdict {
        OptionVerdict(index: index, requirement: requirement, method: method, asset: asset, micros: micros, payTo: payTo, token: token,
                      reasons: reasons + [reason])
    }
}
