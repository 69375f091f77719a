import PurseCore
import X402

/// The values of one Permit2 `PermitWitnessTransferFrom` as x402 signs it, and the EIP-2612
/// permit that goes with it when Permit2 has no allowance.
public struct Permit2Plan: Sendable, Equatable {
    /// The payer.
    public let from: Address
    /// The token (`permitted.token`).
    public let token: Address
    /// The price (`exact`) or the maximum (`upto`), in atomic units (`permitted.amount`).
    public let amount: Int64
    /// The x402 proxy that may use the signature: the exact proxy or the upto proxy.
    public let spender: Address
    /// Permit2's unordered nonce (random; a uint256 as 32 big-endian bytes).
    public let nonce: Nonce32
    /// Unix seconds after which Permit2 refuses it.
    public let deadline: Int64
    /// The witness (recipient; for `upto`, the facilitator).
    public let witness: Permit2Witness
    /// The chain id of Permit2's domain.
    public let chainId: UInt64
    /// The Permit2 contract (the domain's `verifyingContract`).
    public let permit2: Address
    /// The EIP-2612 permit approving Permit2, when the payer's allowance is short and the
    /// server offers `eip2612GasSponsoring`.
    public let permit: EIP2612PermitPlan?

    /// Creates the plan.
    public init(from: Address, token: Address, amount: Int64, spender: Address, nonce: Nonce32, deadline: Int64,
                witness: Permit2Witness, chainId: UInt64, permit2: Address = Permit2Addresses.permit2, permit: EIP2612PermitPlan? = nil) {
        self.from = from
        self.token = token
        self.amount = amount
        self.spender = spender
        self.nonce = nonce
        self.deadline = deadline
        self.witness = witness
        self.chainId = chainId
        self.permit2 = permit2
        self.permit = permit
    }
}
