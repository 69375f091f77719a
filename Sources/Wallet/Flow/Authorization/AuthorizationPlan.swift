import PurseCore
import X402

/// Every value of one payment's authorization, fixed before the reservation: exactly what the
/// signer will sign and what the ledger stores to reconcile it.
///
/// One case per kind of authorization Purse signs; `KeySigner` signs each case in one place, and
/// `reference` names it on chain for the ledger. A new chain adds a case here, its planning in
/// `AuthorizationPlanner`, its signing in the signer and its `SchemePayload`.
public enum AuthorizationPlan: Sendable, Equatable {
    /// EIP-3009 `TransferWithAuthorization` (`exact` on EVM).
    case eip3009(EIP3009Plan)
    /// Permit2 `PermitWitnessTransferFrom` (`exact` with Permit2, or `upto`), with an EIP-2612
    /// permit when Permit2 has no allowance yet.
    case permit2(Permit2Plan)

    /// What identifies the authorization on its chain (stored before signing).
    public var reference: AuthorizationReference {
        switch self {
        case let .eip3009(p): .eip3009(nonce: p.nonce)
        case let .permit2(p): .permit2(nonce: p.nonce)
        }
    }

    /// The last Unix second it can be used: EIP-3009 `validBefore`, Permit2 `deadline`.
    public var validBefore: Int64 {
        switch self {
        case let .eip3009(p): p.validBefore
        case let .permit2(p): p.deadline
        }
    }

    /// The paying account.
    public var payer: ChainAccount {
        switch self {
        case let .eip3009(p): .evm(p.from)
        case let .permit2(p): .evm(p.from)
        }
    }
}
