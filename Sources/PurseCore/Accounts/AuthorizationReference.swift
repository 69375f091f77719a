// Purse — PurseCore (pure).

/// What identifies one signed payment on its chain, fixed before anything is signed and stored
/// with the ledger row, so that reconcile can ask the chain whether that very authorization was
/// used (and by which transaction) after a crash at any later step.
///
/// Each case names the chain's own replay protection; reconcile dispatches on the case
/// (`Reconciler` picks one probe per case). The ledger stores it backend-neutrally as two texts,
/// `kind` and `value` (`init(kind:value:)` reads them back); a new chain adds a case, its two
/// texts and its probe.
public enum AuthorizationReference: Sendable, Hashable, CustomStringConvertible {
    /// An EIP-3009 `TransferWithAuthorization`: the token's `authorizationState(payer, nonce)`.
    case eip3009(nonce: Nonce32)
    /// A Permit2 signature transfer (`permitWitnessTransferFrom`, as x402 `exact` with
    /// `assetTransferMethod: permit2` and `upto` sign it): the nonce is a uint256 (here its 32
    /// big-endian bytes); it is used when bit `nonce & 0xff` of Permit2's
    /// `nonceBitmap(payer, nonce >> 8)` is set.
    case permit2(nonce: Nonce32)

    /// The stored kind: `eip3009` or `permit2`.
    public var kind: String {
        switch self {
        case .eip3009: "eip3009"
        case .permit2: "permit2"
        }
    }

    /// The stored value: the nonce as `0x` + 64 hex digits.
    public var value: String {
        switch self {
        case let .eip3009(n), let .permit2(n): n.hex
        }
    }

    /// Reads a stored reference back. A missing kind is `eip3009`: rows written before the kind
    /// was stored are all EIP-3009.
    ///
    /// - Throws: `PurseError` (`ledger.bad_authorization`) for an unknown kind or a malformed value.
    public init(kind: String?, value: String) throws(PurseError) {
        let nonce: Nonce32
        do { nonce = try Nonce32(hex: value) } catch {
            throw PurseError("ledger.bad_authorization", "authorization value '\(value.prefix(80))' is not a 32-byte hex nonce")
        }
        switch kind ?? "eip3009" {
        case "eip3009": self = .eip3009(nonce: nonce)
        case "permit2": self = .permit2(nonce: nonce)
        case let other: throw PurseError("ledger.bad_authorization", "unknown authorization kind '\(other.prefix(40))'")
        }
    }

    public var description: String { "\(kind):\(value)" }
}
