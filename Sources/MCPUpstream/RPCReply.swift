// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// The answer to one JSON-RPC request an upstream sent back.
public enum RPCReply: Sendable, Equatable {
    /// `result`, as received (key order and numbers kept).
    case result(JSONValue)
    /// `error`: the code, message and optional data, as received.
    case error(code: Int, message: String, data: JSONValue?)
    /// An answer came back but was larger than the cap, so it was counted and dropped unread.
    case tooLarge(bytes: Int)
}
