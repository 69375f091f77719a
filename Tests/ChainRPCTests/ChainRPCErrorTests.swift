import HTTP
import PurseCore
import PurseTesting
import Testing
@testable import ChainRPC

/// Error objects, transport failures and malformed answers.
@Suite struct ChainRPCErrorTests {
    @Test func errorObjectBecomesRPCErrorWithData() async {
        let http = fakeNode { id in
            #"{"jsonrpc":"2.0","id":\#(id.encoded()),"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}}"#
        }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).call(to: usdc, data: []) }
        #expect(e == .rpcError(code: 3, message: "execution reverted", data: "0x08c379a0"))
        #expect(e?.code == "rpc.error")
        #expect(e?.message.contains("execution reverted") == true)
    }

    @Test func errorObjectWithNullIdIsStillReported() async {
        let http = fakeNode { _ in #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"# }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).chainId() }
        #expect(e == .rpcError(code: -32700, message: "Parse error", data: nil))
    }

    @Test func transportFailureKeepsTheHTTPError() async {
        let cause = HTTPError(.timeout, "after 30000 ms", requestMayHaveBeenSent: true)
        let http = InMemoryHTTPClient { _ throws(HTTPError) in throw cause }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).blockNumber() }
        #expect(e == .transport(cause))
        #expect(e?.code == "rpc.transport")
    }

    @Test(arguments: [500, 429, 404, 302])
    func nonOKStatusIsABadResponseEvenWithAValidBody(status: Int) async {
        let http = fakeNode(status: status) { id in #"{"jsonrpc":"2.0","id":\#(id.encoded()),"result":"0x1"}"# }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).chainId() }
        #expect(e?.code == "rpc.bad_response")
        #expect(e?.message.contains("\(status)") == true)
    }

    @Test(arguments: [
        "<html>bad gateway</html>",
        "",
        "[]",
        #"{"jsonrpc":"2.0","id":1,"result":"0x1"} trailing"#,
        #"{"jsonrpc":"1.0","id":1,"result":"0x1"}"#,
        #"{"id":1,"result":"0x1"}"#,
        #"{"jsonrpc":"2.0","id":2,"result":"0x1"}"#,
        #"{"jsonrpc":"2.0","id":"1","result":"0x1"}"#,
        #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","id":1,"error":{"message":"no code"}}"#,
        #"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#,
    ])
    func malformedAnswersAreBadResponses(body: String) async {
        let http = fakeNode { _ in body }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).request("eth_chainId", []) }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test func truncatedAnswerIsABadResponse() async {
        let http = InMemoryHTTPClient { _ throws(HTTPError) in
            HTTPResponse(status: 200, body: Array(#"{"jsonrpc":"2.0","id":1,"result":"0x1"}"#.utf8), truncated: true)
        }
        let e = await rpcFailure { () async throws(ChainRPCError) in try await ChainRPCClient(url: nodeURL, http: http).chainId() }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test func codesAreStable() {
        #expect(ChainRPCError.transport(HTTPError(.timeout, "", requestMayHaveBeenSent: true)).code == "rpc.transport")
        #expect(ChainRPCError.rpcError(code: 1, message: "m", data: nil).code == "rpc.error")
        #expect(ChainRPCError.badResponse("x").code == "rpc.bad_response")
        #expect(ChainRPCError.invalidArgument("x").code == "rpc.invalid_argument")
        #expect(ChainRPCError.badResponse("why").description == "the chain RPC answer is unusable: why [rpc.bad_response]")
    }
}
