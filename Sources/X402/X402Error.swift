import PurseCore

/// Why an x402 message from a server could not be used.
public struct X402Error: CodedError, Equatable {
    /// Stable kinds of x402 failure.
    public enum Kind: String, Sendable {
        case badBase64 = "x402.bad_base64"
        case badJSON = "x402.bad_json"
        case notAnObject = "x402.not_an_object"
        case missingField = "x402.missing_field"
        case wrongType = "x402.wrong_type"
        case badValue = "x402.bad_value"
        case unsupportedVersion = "x402.unsupported_version"
        case noRequirements = "x402.no_requirements"
        case noPaymentInfo = "x402.no_payment_info"
        /// A signed offer contradicts the option Purse would pay, is expired, or its signature is bad.
        case offerMismatch = "x402.offer_mismatch"
    }

    /// What went wrong.
    public let kind: Kind
    /// Which field or header, as a JSON path like `accepts[0].amount`, when known.
    public let field: String?
    /// The detail for a human.
    public let detail: String

    /// Creates an error.
    public init(_ kind: Kind, field: String? = nil, _ detail: String) {
        self.kind = kind
        self.field = field
        self.detail = detail
    }

    public var code: String { kind.rawValue }
    public var message: String {
        if let field { return "\(field): \(detail)" }
        return detail
    }
}
