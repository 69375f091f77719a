import PurseCore

/// The values of one EIP-2612 permit approving Permit2 for exactly one payment's amount, and the
/// token's EIP-712 domain.
public struct EIP2612PermitPlan: Sendable, Equatable {
    /// The token holder (the payer).
    public let owner: Address
    /// Permit2.
    public let spender: Address
    /// Exactly the payment's amount (the maximum for `upto`): never an unlimited approval.
    public let value: Int64
    /// The token's `nonces(owner)`, read from the chain before the reservation.
    public let nonce: UInt256
    /// The Permit2 deadline.
    public let deadline: Int64
    /// The token (the domain's `verifyingContract`).
    public let token: Address
    /// The chain id of the domain.
    public let chainId: UInt64
    /// The token's EIP-712 `name` (from `extra.name`).
    public let domainName: String
    /// The token's EIP-712 `version` (from `extra.version`).
    public let domainVersion: String

    /// Creates the plan.
    public init(owner: Address, spender: Address, value: Int64, nonce: UInt256, deadline: Int64, token: Address, chainId: UInt64,
                domainName: String, domainVersion: String) {
        self.owner = owner
        self.spender = spender
        self.value = value
        self.nonce = nonce
        self.deadline = deadline
        self.token = token
        self.chainId = chainId
        self.domainName = domainName
        self.domainVersion = domainVersion
    }
}
