// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// Reads just enough of a JSON-RPC frame to track requests and answer what the SDK cannot.
///
/// Incoming lines are parsed in full (they must be validated before the SDK sees them).
/// Outgoing frames are not: see `FrameClassifier+Outgoing.swift`.
enum FrameClassifier {
    /// What an incoming line is.
    enum Incoming: Equatable {
        /// Not JSON at all: answer `-32700` with id null.
        case unparseable(String)
        /// JSON but not a valid JSON-RPC message: answer `-32600` with this id (or null).
        case invalid(id: JSONValue, reason: String)
        /// Requests (one, or several in a batch) that will need responses, by key; and the keys
        /// of requests a `notifications/cancelled` in the frame cancels.
        case message(requests: [String], cancels: [String])
    }

    /// The `_meta` key the approval asker tags its elicitation requests with.
    static let approvalTagKey = "purse/approvalId"

    static var parser: JSONParser { JSONParser(maxDepth: 256, maxBytes: Int.max) }

    /// A stable key for a JSON-RPC id: strings and integers (as the SDK's `ID` can hold); nil
    /// for anything else.
    static func key(_ id: JSONValue) -> String? {
        switch id {
        case let .string(s): return "s:" + s
        case .number:
            guard let i = id.int64Value, Int(exactly: i) != nil else { return nil }
            return "n:\(i)"
        default: return nil
        }
    }

    /// Classifies one incoming line (without its newline).
    static func incoming(_ line: [UInt8]) -> Incoming { classify(line).kind }

    /// Classifies one incoming line and returns the parsed value with it (nil when it did not
    /// parse), so that routing (`StatelessServer.divert`) needs no second parse.
    static func classify(_ line: [UInt8]) -> (kind: Incoming, value: JSONValue?) {
        let value: JSONValue
        do {
            value = try parser.parse(line)
        } catch {
            return (.unparseable(error.message), nil)
        }
        return (kind(of: value), value)
    }

    private static func kind(of value: JSONValue) -> Incoming {
        switch value {
        case let .object(o):
            return single(o)
        case let .array(items):
            guard !items.isEmpty else { return .invalid(id: .null, reason: "empty batch") }
            var requests: [String] = []
            var cancels: [String] = []
            for item in items {
                guard case let .object(o) = item else { return .invalid(id: .null, reason: "batch item is not an object") }
                switch single(o) {
                case let .message(r, c):
                    requests += r
                    cancels += c
                case .invalid, .unparseable:
                    return .invalid(id: .null, reason: "invalid batch item")
                }
            }
            return .message(requests: requests, cancels: cancels)
        default:
            return .invalid(id: .null, reason: "a message must be a JSON object")
        }
    }

    private static func single(_ o: JSONObject) -> Incoming {
        let echoID: JSONValue = o["id"].flatMap { key($0) == nil ? nil : $0 } ?? .null
        guard o["jsonrpc"] == .string("2.0") else {
            return .invalid(id: echoID, reason: "jsonrpc must be \"2.0\"")
        }
        if let method = o["method"] {
            guard let name = method.stringValue else { return .invalid(id: echoID, reason: "method must be a string") }
            if let id = o["id"] {
                guard let k = key(id) else {
                    return .invalid(id: .null, reason: "id must be a string or an integer")
                }
                return .message(requests: [k], cancels: [])
            }
            if name == "notifications/cancelled", let id = o["params"]?["requestId"], let k = key(id) {
                return .message(requests: [], cancels: [k])
            }
            return .message(requests: [], cancels: [])
        }
        if o["id"] != nil, o["result"] != nil || o["error"] != nil {
            return .message(requests: [], cancels: [])  // a response to one of our requests
        }
        return .invalid(id: echoID, reason: "not a request, notification or response")
    }

    /// The bytes of an error response (with its newline).
    static func errorFrame(id: JSONValue, code: Int, message: String, data: JSONValue? = nil) -> [UInt8] {
        var error: JSONObject = ["code": .integer(code), "message": .string(message)]
        if let data { error["data"] = data }
        let v: JSONValue = ["jsonrpc": "2.0", "id": id, "error": .object(error)]
        return v.encodedBytes() + [0x0A]
    }
}
