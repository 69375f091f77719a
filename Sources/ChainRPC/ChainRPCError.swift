// Purse ChainRPC module: why a chain query failed.

import HTTP
import PurseCore

/// Why an Ethereum JSON-RPC call produced no usable answer.
public enum ChainRPCError: CodedError, Equatable, JSONRPCFailureCases {
    /// The HTTP exchange failed; the underlying error is kept.
    case transport(HTTPError)
    /// The node answered with a JSON-RPC error object (for `eth_call`, `data` often holds revert data).
    case rpcError(code: Int, message: String, data: JSONValue?)
    /// The answer was not HTTP 200, not JSON-RPC 2.0, or not the shape the method returns.
    case badResponse(String)
    /// An argument was malformed (an address that is not 20 bytes of hex, a nonce not 32 bytes…);
    /// nothing was sent.
    case invalidArgument(String)

    /// The stable code: `rpc.transport`, `rpc.error`, `rpc.bad_response` or `rpc.invalid_argument`.
    public var code: String {
        switch self {
        case .transport: "rpc.transport"
        case .rpcError: "rpc.error"
        case .badResponse: "rpc.bad_response"
        case .invalidArgument: "rpc.invalid_argument"
        }
    }

    /// A one-line explanation.
    public var message: String {
        switch self {
        case let .transport(error): "the chain RPC endpoint could not be reached: \(error.message)"
        case let .rpcError(code, message, _): "the chain RPC node returned error \(code): \(message)"
        case let .badResponse(why): "the chain RPC answer is unusable: \(why)"
        case let .invalidArgument(why): "invalid chain query: \(why)"
        }
    }
}
