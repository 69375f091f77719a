import PurseCore

/// Why the configuration file could not be used. Every error names the offending key.
public struct ConfigError: CodedError, Equatable {
    /// Stable kinds of configuration failure.
    public enum Kind: String, Sendable {
        case unreadable = "config.unreadable"
        case notJSON = "config.not_json"
        case unknownKey = "config.unknown_key"
        case wrongType = "config.wrong_type"
        case badValue = "config.bad_value"
        case missingKey = "config.missing_key"
    }

    /// What went wrong.
    public let kind: Kind
    /// The key path, such as `policy.maxPerRequest`.
    public let key: String
    /// The explanation.
    public let detail: String

    /// Creates an error about `key`.
    public init(_ kind: Kind, key: String, _ detail: String) {
        self.kind = kind
        self.key = key
        self.detail = detail
    }

    public var code: String { kind.rawValue }
    public var message: String { key.isEmpty ? "config: \(detail)" : "config key '\(key)': \(detail)" }
}
