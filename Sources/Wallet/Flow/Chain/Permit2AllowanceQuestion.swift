import PurseCore

/// What a Permit2 payment needs to know from the token before it is planned.
public struct Permit2AllowanceQuestion: Sendable, Equatable {
    /// The CAIP-2 network (which RPC to ask).
    public let network: String
    /// The token.
    public let token: Address
    /// The payer.
    public let owner: Address
    /// The amount Permit2 must be allowed to move (the maximum for `upto`).
    public let amount: Int64
    /// Whether, when the allowance is short of `amount`, to read the token's EIP-2612
    /// `nonces(owner)` and `DOMAIN_SEPARATOR()` (the server offers `eip2612GasSponsoring`).
    public let permitIfShort: Bool

    /// Creates the question.
    public init(network: String, token: Address, owner: Address, amount: Int64, permitIfShort: Bool) {
        self.network = network
        self.token = token
        self.owner = owner
        self.amount = amount
        self.permitIfShort = permitIfShort
    }
}
