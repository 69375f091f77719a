// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// One tool as an upstream listed it, kept as JSON so that what Purse lists again (schemas,
/// annotations, title) is exactly what the upstream sent.
public struct UpstreamTool: Sendable, Equatable {
    /// The tool's name at the upstream.
    public let name: String
    /// The whole tool object as received.
    public let raw: JSONObject

    /// The largest name accepted (MCP tool names are 1–128 characters).
    public static let maxNameLength = 128

    /// Reads one `tools/list` entry; nil when it has no usable name.
    public init?(_ value: JSONValue) {
        guard case let .object(o) = value, case let .string(name)? = o["name"], !name.isEmpty,
              name.utf8.count <= Self.maxNameLength
        else { return nil }
        self.name = name
        self.raw = o
    }

    /// Creates a tool from its parts (tests).
    public init(name: String, raw: JSONObject) {
        self.name = name
        self.raw = raw
    }

    /// `title`, when it is a string.
    public var title: String? { raw["title"]?.stringValue }
    /// `description`, when it is a string.
    public var description: String? { raw["description"]?.stringValue }
    /// `inputSchema` (MCP requires an object schema; a missing one reads as `{"type": "object"}`).
    public var inputSchema: JSONValue { raw["inputSchema"].flatMap { $0.objectValue != nil ? $0 : nil } ?? ["type": "object"] }
    /// `outputSchema`, when it is an object.
    public var outputSchema: JSONValue? { raw["outputSchema"].flatMap { $0.objectValue != nil ? $0 : nil } }
    /// `annotations`, when it is an object.
    public var annotations: JSONValue? { raw["annotations"].flatMap { $0.objectValue != nil ? $0 : nil } }
    /// `_meta`, when it is an object (where list-time prices are declared).
    public var meta: JSONObject? { raw["_meta"]?.objectValue }
}
