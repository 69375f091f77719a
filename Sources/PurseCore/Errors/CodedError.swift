/// An error with a stable, machine-readable code and a human-readable message.
///
/// Every error Purse reports conforms to this protocol. Codes are dotted lower-case
/// identifiers (`x402.bad_base64`, `budget.session_exceeded`) that never change once
/// published; messages are for humans and never contain key material.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    /// The stable identifier of this kind of error, such as `key.bad_length`.
    var code: String { get }
    /// A one-line explanation for a human, naming what was wrong and, where it helps, what to do.
    var message: String { get }
}

extension CodedError {
    /// The message followed by the code in brackets.
    public var description: String { "\(message) [\(code)]" }
}

/// A generic coded error for the rare case where no richer type fits.
public struct PurseError: CodedError, Equatable {
    /// The stable identifier.
    public let code: String
    /// The human-readable explanation.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
