import PurseCore

/// What the token said about Permit2's allowance from the payer, and about EIP-2612 when asked.
public struct Permit2Allowance: Sendable, Equatable {
    /// `allowance(owner, Permit2)`.
    public let allowance: UInt256
    /// `nonces(owner)`, when the allowance was short and a permit was asked for; nil otherwise
    /// (then `permitProblem` says why when it was asked for).
    public let permitNonce: UInt256?
    /// `DOMAIN_SEPARATOR()`, when the token answers it: checked against the domain Purse would
    /// sign the permit under, so a permit the token would refuse is never signed.
    public let domainSeparator: [UInt8]?
    /// Why the token's EIP-2612 state could not be read (no `nonces`, RPC failure), when asked.
    public let permitProblem: String?

    /// Creates an answer.
    public init(allowance: UInt256, permitNonce: UInt256? = nil, domainSeparator: [UInt8]? = nil, permitProblem: String? = nil) {
        self.allowance = allowance
        self.permitNonce = permitNonce
        self.domainSeparator = domainSeparator
        self.permitProblem = permitProblem
    }
}
