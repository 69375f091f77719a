import PurseCore

/// What the signer returns for one payment: the scheme's signed payload, typed.
///
/// One case per kind of authorization (`AuthorizationPlan` in the wallet has the same cases);
/// `json` is the payload's `payload` member and `extensions` what the client adds to the
/// payload's `extensions` (the server's declared entries stay; see `PaymentPayload`).
public enum SchemePayload: Sendable, Equatable {
    /// EIP-3009 `TransferWithAuthorization` (`exact`).
    case eip3009(SignedAuthorization)
    /// Permit2 `PermitWitnessTransferFrom` (`exact` with Permit2, or `upto`).
    case permit2(SignedPermit2Transfer)

    /// The scheme payload (`payload` in the x402 `PaymentPayload`).
    public var json: JSONValue {
        switch self {
        case let .eip3009(a): a.json
        case let .permit2(p): p.json
        }
    }

    /// Extension data the client contributes, by extension key (each value `{info: {...}}`);
    /// nil when none.
    public var extensions: JSONObject? {
        switch self {
        case .eip3009:
            return nil
        case let .permit2(p):
            guard let permit = p.permit else { return nil }
            return [SignedEIP2612Permit.extensionKey: ["info": .object(permit.info)]]
        }
    }
}
