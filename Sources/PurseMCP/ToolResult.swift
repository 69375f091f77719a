// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// The outcome of one tool call, as the backend reports it.
///
/// On success `structured` must match the tool's output schema (see `ToolCatalog`). When
/// `isError` is true, `structured` is free-form (conventionally `{"error": {"code", "message"}}`)
/// and is sent as a JSON text block rather than as `structuredContent`, because MCP clients
/// validate `structuredContent` against the output schema.
public struct ToolResult: Sendable, Equatable {
    /// The machine-readable result.
    public var structured: JSONValue
    /// A short human-readable summary, sent as the first text content block.
    public var summary: String
    /// Whether the call failed.
    public var isError: Bool
    /// A complete MCP `tools/call` result to send as it is (an upstream tool's own result,
    /// passed through), instead of one built from `structured` and `summary`.
    public var raw: JSONValue?

    /// Creates a result.
    public init(structured: JSONValue, summary: String, isError: Bool = false) {
        self.structured = structured
        self.summary = summary
        self.isError = isError
    }

    /// A result passed through as it is: `raw` is the whole `tools/call` result object.
    public static func passthrough(_ raw: JSONValue, summary: String, isError: Bool) -> ToolResult {
        var r = ToolResult(structured: raw["structuredContent"] ?? .object(JSONObject()), summary: summary, isError: isError)
        r.raw = raw
        return r
    }

    /// Creates an error result from a coded error: `{"error": {"code", "message"}}`.
    public static func failure(_ error: any CodedError) -> ToolResult {
        ToolResult(structured: error.errorJSON, summary: error.description, isError: true)
    }
}
