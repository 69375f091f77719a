// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import MCP
import PurseCore

/// The `tools/call` result of a backend result, built as JSON directly.
///
/// Every tool call used to build the SDK's `CallTool.Result` (`PurseServer.callResult`), copy
/// the structured result into `MCP.Value`s, encode that with `JSONEncoder` and parse the bytes
/// back into a `JSONValue` for the reply: after the payment itself, the largest share of the
/// MCP server's CPU per `paid_fetch` (measured with `perf record` on `purse serve`). This
/// builds the same JSON in one pass, and it is the same to the byte, because it follows what
/// that encoding did:
/// - keys sorted as swift-foundation's `JSONEncoder` sorts them with `.sortedKeys` outside
///   Apple's frameworks: by the UTF-8 bytes of the key, at every level of `structuredContent`;
/// - `content` (the summary, then the structured result as JSON text in its own key order),
///   then `isError`, then `structuredContent` on success only;
/// - numbers as `mcpValue` typed them: an integer that fits `Int` is written as `Int` writes
///   it (`007` → `7`); any other number takes the SDK's own encoding of its `Double`;
/// - strings escaped as `JSONEncoder` escapes them with `.withoutEscapingSlashes`, which is what
///   `JSONValue`'s writer does.
/// An upstream tool's result passed through (`ToolResult.raw`) is not built here: it keeps the
/// SDK's path (`UpstreamToolRoute.callResult`), which decides what of it the SDK can carry.
enum CallResultJSON {
    /// The result object of `tools/call` for `result`.
    static func make(_ result: ToolResult) throws -> JSONValue {
        if result.raw != nil { return try StatelessServer.encode(PurseServer.callResult(result)) }
        let content: JSONValue = [
            ["text": .string(result.summary), "type": "text"],
            ["text": .string(result.structured.encoded()), "type": "text"],
        ]
        if result.isError { return ["content": content, "isError": true] }
        return ["content": content, "isError": false, "structuredContent": try sorted(result.structured)]
    }

    /// `value` as the SDK's `JSONEncoder` wrote its `mcpValue`: object keys in UTF-8 byte order,
    /// numbers retyped (see the type's summary).
    static func sorted(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .null, .bool, .string: return value
        case .number:
            if let i = value.int64Value, let int = Int(exactly: i) { return .number(String(int)) }
            return try StatelessServer.encode(value.mcpValue)
        case let .array(items): return .array(try items.map(sorted))
        case let .object(o):
            let members = try o.members
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { JSONMember($0.key, try sorted($0.value)) }
            return .object(JSONObject(distinctMembers: members))
        }
    }
}
