// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// A JSON-RPC error answered by our own protocol layer (the 2026-07-28 requests the SDK does not
/// know), with the codes the revision defines.
struct RPCError: Error, Equatable, Sendable {
    /// The JSON-RPC error code.
    var code: Int
    /// One sentence for a human.
    var message: String
    /// Structured detail, when the revision defines some (`supported` and `requested` for -32022).
    var data: JSONValue?

    /// -32600: not a request this connection accepts.
    static func invalidRequest(_ message: String) -> RPCError { RPCError(code: -32600, message: message) }
    /// -32601: no such method here.
    static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(method)", data: .string(method))
    }
    /// -32602: the parameters (or the envelope in `_meta`) are malformed.
    static func invalidParams(_ message: String, data: JSONValue? = nil) -> RPCError {
        RPCError(code: -32602, message: message, data: data)
    }
    /// -32603: our own failure.
    static func internalError(_ message: String) -> RPCError { RPCError(code: -32603, message: message) }
    /// -32022 (2026-07-28 `UnsupportedProtocolVersionError`): the request's version is not served;
    /// `data` names what is, so the client can retry with one of them.
    static func unsupportedVersion(requested: String, supported: [String], message: String = "Unsupported protocol version") -> RPCError {
        RPCError(code: -32022, message: message,
                 data: ["supported": .array(supported.map(JSONValue.string)), "requested": .string(requested)])
    }

    /// The error object of a response.
    var json: JSONValue {
        var o: JSONObject = ["code": .integer(code), "message": .string(message)]
        if let data { o["data"] = data }
        return .object(o)
    }
}
