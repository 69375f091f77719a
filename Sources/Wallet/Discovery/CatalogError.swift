import PurseCore

/// Why a catalog answer, or one item in it, could not be used.
///
/// A catalog is untrusted input, like a seller's 402: every failure is a value with a stable
/// code that names the field, so one bad endpoint or item is reported (under `sources`, or
/// counted as skipped) instead of failing the search.
public struct CatalogError: CodedError, Equatable {
    /// The kinds of failure, each with a stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The config's `discovery.endpoints` is empty.
        case disabled = "discovery.disabled"
        /// The request could not be made or got no answer (connection refused, TLS, …).
        case transport = "discovery.transport"
        /// The endpoint took longer than `discovery.timeoutMs`.
        case timeout = "discovery.timeout"
        /// The endpoint answered with a status other than 200.
        case httpStatus = "discovery.http_status"
        /// The answer was longer than `http.maxBodyBytes` and was cut: nothing of it is used.
        case tooLarge = "discovery.too_large"
        /// The answer is not JSON within the parser's limits.
        case badJSON = "discovery.bad_json"
        /// The answer is JSON, but not the Bazaar shape (`items` / `resources`).
        case badDocument = "discovery.bad_document"
        /// An item is not a JSON object.
        case itemNotObject = "discovery.item_not_object"
        /// An item lacks a required field.
        case itemMissingField = "discovery.item_missing_field"
        /// An item's field has the wrong JSON type.
        case itemWrongType = "discovery.item_wrong_type"
        /// An item's field has a value Purse refuses (unknown type, bad tool name, …).
        case itemBadValue = "discovery.item_bad_value"
        /// An item's `resource` is not an http(s) URL Purse would fetch.
        case itemBadURL = "discovery.item_bad_url"
        /// None of an item's `accepts` entries is a readable x402 payment option.
        case itemNoOption = "discovery.item_no_payment_option"
    }

    /// What went wrong.
    public let kind: Kind
    /// The field concerned (`items[3].resource`), when there is one.
    public let field: String?
    /// The explanation.
    public let detail: String

    /// Creates an error.
    public init(_ kind: Kind, field: String? = nil, _ detail: String) {
        self.kind = kind
        self.field = field
        self.detail = detail
    }

    public var code: String { kind.rawValue }
    public var message: String { field.map { "\($0): \(detail)" } ?? detail }

    /// Whether this is about one item (skipped and counted) rather than the whole answer.
    public var isItemError: Bool {
        switch kind {
        case .itemNotObject, .itemMissingField, .itemWrongType, .itemBadValue, .itemBadURL, .itemNoOption: true
        default: false
        }
    }
}
