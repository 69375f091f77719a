// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// The per-request envelope of MCP 2026-07-28: with no `initialize`, every request names its
/// protocol version and the client's capabilities (and, optionally, its info, a log level and a
/// progress token) in `params._meta`.
///
/// Key names and the error ladder follow the official Python SDK 2.3.0 (`mcp_types/_types.py`
/// for the keys, `mcp/shared/inbound.py` `classify_inbound_request` for the order): a missing or
/// malformed envelope is -32602 naming the missing key; a version that is not a string is
/// -32602; a version not served is -32022 with `supported` and `requested`.
struct RequestEnvelope: Equatable, Sendable {
    /// The stateless revision this server speaks.
    static let revision = "2026-07-28"
    /// The revisions served without a handshake.
    static let supportedVersions = [revision]
    /// The handshake revisions (served by the SDK's `Server` after `initialize`).
    static let handshakeVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]

    static let versionKey = "io.modelcontextprotocol/protocolVersion"
    static let capabilitiesKey = "io.modelcontextprotocol/clientCapabilities"
    static let clientInfoKey = "io.modelcontextprotocol/clientInfo"
    static let logLevelKey = "io.modelcontextprotocol/logLevel"
    /// The result `_meta` key our results carry our name and version under.
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// The requested protocol version (one of `supportedVersions`).
    var version: String
    /// The client's capabilities for this request (servers must not infer them from earlier requests).
    var capabilities: JSONObject
    /// `name version` from `clientInfo`, when given.
    var clientName: String?
    /// The log level the request opts in to; nil means no log notifications for it.
    var logLevel: LogLevel?
    /// The progress token, when the client asked for progress.
    var progressToken: JSONValue?

    /// Whether `params._meta` carries the protocol-version key: the mark of a 2026-07-28
    /// request (handshake requests may have `_meta`, but never this reserved key).
    static func isEnveloped(_ params: JSONValue?) -> Bool {
        params?["_meta"]?.objectValue?[versionKey] != nil
    }

    /// Reads the envelope of a request's `params`, or the error to answer.
    static func parse(_ params: JSONValue?) -> Result<RequestEnvelope, RPCError> {
        guard let meta = params?["_meta"]?.objectValue else {
            return .failure(.invalidParams("params._meta must be an object carrying the required '\(versionKey)' and '\(capabilitiesKey)' envelope keys"))
        }
        let missing = [versionKey, capabilitiesKey].filter { meta[$0] == nil }
        if !missing.isEmpty {
            return .failure(.invalidParams("params._meta is missing the required envelope key(s): \(missing.joined(separator: ", "))"))
        }
        guard let version = meta[versionKey]?.stringValue else {
            return .failure(.invalidParams("the protocol-version envelope value must be a string"))
        }
        guard supportedVersions.contains(version) else {
            return .failure(.unsupportedVersion(requested: version, supported: supportedVersions))
        }
        guard let capabilities = meta[capabilitiesKey]?.objectValue else {
            return .failure(.invalidParams("'\(capabilitiesKey)' must be an object"))
        }
        let info = meta[clientInfoKey]
        let name = info?["name"]?.stringValue.map { n in info?["version"]?.stringValue.map { "\(n) \($0)" } ?? n }
        let level = meta[logLevelKey]?.stringValue.flatMap(LogLevel.init(rawValue:))
        return .success(RequestEnvelope(version: version, capabilities: capabilities, clientName: name, logLevel: level,
                                        progressToken: meta["progressToken"]))
    }

    /// Whether this request declares form elicitation: `elicitation.form`, or an empty
    /// `elicitation` object (which the revisions read as form, for backward compatibility).
    var supportsFormElicitation: Bool {
        guard let e = capabilities["elicitation"]?.objectValue else { return false }
        return e["form"] != nil || (e["url"] == nil && e["form"] == nil)
    }
}
