import PurseCore

/// Why Purse did not sign a `sign-in-with-x` challenge. A refusal is not an error of the call:
/// Purse goes on to pay (or refuse to pay) as if no sign-in had been offered.
public struct SignInRefusal: CodedError, Equatable {
    /// Stable kinds of refusal.
    public enum Kind: String, Sendable {
        case domainMismatch = "siwx.domain_mismatch"
        case uriMismatch = "siwx.uri_mismatch"
        case chainNotOffered = "siwx.chain_not_offered"
        case expired = "siwx.expired"
        case notYetValid = "siwx.not_yet_valid"
        case badChallenge = "siwx.bad_challenge"
    }

    /// The kind.
    public let kind: Kind
    /// The detail for a human.
    public let message: String

    /// Creates a refusal.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var code: String { kind.rawValue }
}
