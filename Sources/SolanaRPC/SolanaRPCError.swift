// Purse — SolanaRPC module (edge).

import HTTP
import PurseCore
import Solana

/// Why a Solana JSON-RPC call produced no usable answer.
public enum SolanaRPCError: CodedError, Equatable, JSONRPCFailureCases {
    /// The HTTP exchange failed; the underlying error is kept.
    case transport(HTTPError)
    /// The node answered with a JSON-RPC error object.
    case rpcError(code: Int, message: String, data: JSONValue?)
    /// The answer was not HTTP 200, not JSON-RPC 2.0, or not the shape the method returns.
    case badResponse(String)
    /// An argument could not be sent (nothing was sent).
    case invalidArgument(String)
    /// The account does not exist (`getAccountInfo` answered null).
    case accountNotFound(SolanaPublicKey)
    /// The account exists but is not a mint of SPL Token or Token-2022.
    case notAMint(SolanaPublicKey, String)

    /// The stable code, such as `solana.rpc_error`.
    public var code: String {
        switch self {
        case .transport: "solana.rpc_transport"
        case .rpcError: "solana.rpc_error"
        case .badResponse: "solana.rpc_bad_response"
        case .invalidArgument: "solana.rpc_invalid_argument"
        case .accountNotFound: "solana.account_not_found"
        case .notAMint: "solana.not_a_mint"
        }
    }

    /// A one-line explanation.
    public var message: String {
        switch self {
        case let .transport(error): "the Solana RPC endpoint could not be reached: \(error.message)"
        case let .rpcError(code, message, _): "the Solana RPC node returned error \(code): \(message)"
        case let .badResponse(why): "the Solana RPC answer is unusable: \(why)"
        case let .invalidArgument(why): "invalid Solana RPC query: \(why)"
        case let .accountNotFound(address): "the Solana account \(address) does not exist"
        case let .notAMint(address, why): "\(address) is not a token mint: \(why)"
        }
    }
}
