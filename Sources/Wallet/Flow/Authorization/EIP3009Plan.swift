import PurseCore

/// The values of one EIP-3009 `TransferWithAuthorization`, and the token's EIP-712 domain.
public struct EIP3009Plan: Sendable, Equatable {
    /// The payer.
    public let from: Address
    /// The payee.
    public let to: Address
    /// The token (the domain's `verifyingContract`).
    public let token: Address
    /// The amount in atomic units.
    public let value: Int64
    /// Unix seconds after which it is valid (the reservation time minus 600 s, for clock skew).
    public let validAfter: Int64
    /// Unix seconds before which it is valid.
    public let validBefore: Int64
    /// The random 32-byte nonce.
    public let nonce: Nonce32
    /// The chain id of the domain.
    public let chainId: UInt64
    /// The token's EIP-712 `name` (from `extra.name`).
    public let domainName: String
    /// The token's EIP-712 `version` (from `extra.version`).
    public let domainVersion: String

    /// Creates the plan.
    public init(from: Address, to: Address, token: Address, value: Int64, validAfter: Int64, validBefore: Int64, nonce: Nonce32,
                chainId: UInt64, domainName: String, domainVersion: String) {
        self.from = from
        self.to = to
        self.token = token
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
        self.chainId = chainId
        self.domainName = domainName
        self.domainVersion = domainVersion
    }
}
