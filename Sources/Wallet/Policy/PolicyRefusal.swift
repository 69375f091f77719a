import PurseCore

/// Why the policy refuses to pay, before anything is reserved or signed.
public struct PolicyRefusal: CodedError, Equatable {
    /// The stable code, such as `policy.host_denied`.
    public let code: String
    /// The explanation, naming the rule and what the human can change.
    public let message: String

    /// Creates a refusal.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
