// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// One JSON-RPC message from an upstream, classified.
public enum RPCFrame: Sendable, Equatable {
    /// The answer to request `id` (nil when the id is not one Purse can have sent: not an integer).
    case response(id: Int?, RPCReply)
    /// A request from the upstream to Purse (`ping`, `sampling/createMessage`, …).
    case request(id: JSONValue, method: String, params: JSONValue?)
    /// A notification (`notifications/tools/list_changed`, …).
    case notification(method: String, params: JSONValue?)
    /// Not a JSON-RPC message.
    case invalid(String)

    /// The messages in one frame (a batch is several).
    public static func classify(_ value: JSONValue) -> [RPCFrame] {
        if case let .array(items) = value { return items.isEmpty ? [.invalid("an empty batch")] : items.map(one) }
        return [one(value)]
    }

    /// The messages in one frame's bytes; unparseable bytes are one `.invalid`.
    public static func parse(_ bytes: some Collection<UInt8>, maxBytes: Int) -> [RPCFrame] {
        do { return classify(try JSONParser(maxDepth: 128, maxBytes: max(maxBytes, 1)).parse(bytes)) } catch {
            return [.invalid("unparseable JSON: \(error.message)")]
        }
    }

    private static func one(_ value: JSONValue) -> RPCFrame {
        guard case let .object(o) = value else { return .invalid("a \(value.typeName), not an object") }
        if let method = o["method"] {
            guard case let .string(m) = method else { return .invalid("method is a \(method.typeName)") }
            if let id = o["id"], !id.isNull { return .request(id: id, method: m, params: o["params"]) }
            return .notification(method: m, params: o["params"])
        }
        guard let idValue = o["id"] else { return .invalid("neither a method nor an id") }
        let id = idValue.int64Value.flatMap { Int(exactly: $0) }
        if let result = o["result"] { return .response(id: id, .result(result)) }
        if case let .object(e)? = o["error"] {
            let code = e["code"]?.int64Value.flatMap { Int(exactly: $0) } ?? -32603
            let message = e["message"]?.stringValue ?? "(no message)"
            return .response(id: id, .error(code: code, message: message, data: e["data"]))
        }
        return .invalid("a response with neither result nor error object")
    }
}
