import PurseCore

/// How Purse pays one offered option: the x402 scheme and the way its tokens move.
///
/// Decided once per requirement, from its network, `scheme` and `extra.assetTransferMethod`
/// (`classify`); the selector's rules, the flow's chain reads, the planner, the signer and the
/// ledger's authorization reference all follow from this value, so no other code reads
/// `scheme` or `assetTransferMethod` to decide anything.
public enum PaymentMethod: String, Sendable, Hashable, CaseIterable {
    /// `exact` on EVM with EIP-3009 `transferWithAuthorization` (the default).
    case exactEIP3009 = "exact/eip3009"
    /// `exact` on EVM with a Permit2 `PermitWitnessTransferFrom` through the x402 exact proxy.
    case exactPermit2 = "exact/permit2"
    /// `upto` on EVM: a Permit2 witness transfer of at most the signed maximum, through the upto
    /// proxy, settled for the actual amount by the facilitator named in the witness.
    case uptoPermit2 = "upto/permit2"
    /// `exact` on Solana: a v0 transaction with one SPL `TransferChecked` (Token or Token-2022),
    /// partly signed by the payer, that the facilitator co-signs as fee payer and submits.
    case exactSolana = "exact/solana"

    /// The x402 scheme name.
    public var scheme: String {
        switch self {
        case .exactEIP3009, .exactPermit2, .exactSolana: "exact"
        case .uptoPermit2: "upto"
        }
    }

    /// How the tokens move, as `quote` shows it: `eip3009`, `permit2`, or `spl` (a Solana token
    /// program's `TransferChecked`).
    public var transferMethod: String {
        switch self {
        case .exactEIP3009: "eip3009"
        case .exactPermit2, .uptoPermit2: "permit2"
        case .exactSolana: "spl"
        }
    }

    /// The chain family whose accounts the option names.
    public var family: ChainFamily {
        switch self {
        case .exactEIP3009, .exactPermit2, .uptoPermit2: .evm
        case .exactSolana: .solana
        }
    }

    /// Whether the seller settles an amount up to the one signed, known only from the settlement
    /// (then the ledger reserves the maximum and records the actual amount).
    public var settlesActualAmount: Bool { self == .uptoPermit2 }

    /// Whether reconcile can find the payment on chain only through its signed payload: a Solana
    /// transaction is looked up by its signature, which exists only once signed, while EVM
    /// authorizations are found by the nonce the reservation already holds. The sent mark that
    /// stores the payload must then reach the disk before the payload leaves.
    public var reconcileNeedsSignedPayload: Bool { family == .solana }

    /// Whether the payer's tokens move through Permit2 (so Permit2 needs an allowance).
    public var usesPermit2: Bool { self == .exactPermit2 || self == .uptoPermit2 }

    /// The method for a requirement, or the reason Purse cannot pay it.
    ///
    /// The network's family comes first (a scheme means different things on different chains),
    /// then the scheme, then `extra.assetTransferMethod`. A new chain or scheme is a new case
    /// here and nowhere else in the selection.
    public static func classify(_ r: PaymentRequirement) -> Result<PaymentMethod, OptionVerdict.Reason> {
        guard let network = r.network else {
            return .failure(.init(code: "option.network_unknown", message: "network '\(clip(r.networkText))' is unknown"))
        }
        switch network.family {
        case .evm?:
            break
        case .solana?:
            guard r.scheme == "exact" else {
                return .failure(.init(code: "option.scheme_unsupported",
                                      message: "scheme '\(clip(r.scheme))' is not supported on Solana (Purse pays 'exact' there)"))
            }
            if let other = r.assetTransferMethod {
                return .failure(.init(code: "option.transfer_method_unsupported",
                                      message: "assetTransferMethod '\(clip(other))' does not apply to Solana, where a token program's TransferChecked moves the tokens"))
            }
            return .success(.exactSolana)
        case nil:
            return .failure(.init(code: "option.network_unsupported", message: "network \(clip(r.networkText)) is neither an EVM nor a Solana network"))
        }
        let method = r.assetTransferMethod
        switch r.scheme {
        case "exact":
            switch method {
            case nil, "eip3009": return .success(.exactEIP3009)
            case "permit2": return .success(.exactPermit2)
            case let other?:
                return .failure(.init(code: "option.transfer_method_unsupported",
                                      message: "assetTransferMethod '\(clip(other))' is not supported (Purse signs EIP-3009 and Permit2)"))
            }
        case "upto":
            switch method {
            case nil, "permit2": return .success(.uptoPermit2)
            case let other?:
                return .failure(.init(code: "option.transfer_method_unsupported",
                                      message: "assetTransferMethod '\(clip(other))' is not supported for upto (it moves tokens through Permit2)"))
            }
        default:
            return .failure(.init(code: "option.scheme_unsupported",
                                  message: "scheme '\(clip(r.scheme))' is not supported (Purse pays 'exact' and 'upto')"))
        }
    }

    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(60)) + "…" : s }
}
