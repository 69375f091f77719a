import HTTP
import PurseCore
import PurseTesting
@testable import ChainRPC

let nodeURL = "https://rpc.example/v1"
let usdc = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
let usdcLower = "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913"
let payer = "0x00000000000000000000000000000000DeaDBeef"
let payerWord = "0x00000000000000000000000000000000000000000000000000000000deadbeef"
let nonce: [UInt8] = (0..<32).map { UInt8($0) }
let nonceHex = "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

/// A fake node: answers each JSON-RPC call with `result` (or a whole body) and records requests.
func fakeNode(status: Int = 200, body: @escaping @Sendable (_ id: JSONValue) -> String) -> InMemoryHTTPClient {
    InMemoryHTTPClient { request throws(HTTPError) in
        let id = (try? JSONValue.parse(request.body ?? []))?["id"] ?? .null
        return HTTPResponse(status: status, body: Array(body(id).utf8), effectiveURL: request.url)
    }
}

/// A fake node whose every answer is `{"jsonrpc":"2.0","id":<id>,"result":<result>}`.
func fakeNode(result: String) -> InMemoryHTTPClient {
    fakeNode { id in #"{"jsonrpc":"2.0","id":\#(id.encoded()),"result":\#(result)}"# }
}

/// The request body a fake node received, as text.
func sentBody(_ http: InMemoryHTTPClient, _ index: Int = 0) -> String {
    String(decoding: http.requests[index].body ?? [], as: UTF8.self)
}

/// Runs a call that must fail and returns its error (nil if it succeeded).
func rpcFailure<T>(_ body: () async throws(ChainRPCError) -> T) async -> ChainRPCError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
