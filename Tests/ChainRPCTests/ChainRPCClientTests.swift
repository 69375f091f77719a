import EVM
import HTTP
import PurseCore
import Testing
@testable import ChainRPC

/// Selector literals (`0x70a08231` for `balanceOf(address)`, `0xe94a0102` for
/// `authorizationState(address,bytes32)`) were computed independently with Python's eth-utils
/// (`eth_utils.keccak(text=signature)[:4].hex()`), not read from the ABI module under test.
@Suite struct ChainRPCClientTests {
    @Test func requestIsAJSONRPC2PostWithIncreasingIds() async throws {
        let http = fakeNode(result: #""0x1""#)
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        _ = try await rpc.request("eth_foo", ["a", 1, nil])
        _ = try await rpc.request("eth_bar", [])
        #expect(http.requests.count == 2)
        let first = http.requests[0]
        #expect(first.method == "POST")
        #expect(first.url == nodeURL)
        #expect(first.headers["content-type"] == "application/json")
        #expect(first.headers["accept"] == "application/json")
        #expect(sentBody(http, 0) == #"{"jsonrpc":"2.0","id":1,"method":"eth_foo","params":["a",1,null]}"#)
        #expect(sentBody(http, 1) == #"{"jsonrpc":"2.0","id":2,"method":"eth_bar","params":[]}"#)
    }

    @Test func requestReturnsTheResultVerbatim() async throws {
        let rpc = ChainRPCClient(url: nodeURL, http: fakeNode(result: #"{"b":[1,2.50],"a":null}"#))
        let result = try await rpc.request("x", [])
        #expect(result.encoded() == #"{"b":[1,2.50],"a":null}"#)
    }

    @Test func chainIdAndBlockNumberParseQuantities() async throws {
        #expect(try await ChainRPCClient(url: nodeURL, http: fakeNode(result: #""0x2105""#)).chainId() == 8453)
        #expect(try await ChainRPCClient(url: nodeURL, http: fakeNode(result: #""0x0""#)).blockNumber() == 0)
        let http = fakeNode(result: #""0xffffffffffffffff""#)
        #expect(try await ChainRPCClient(url: nodeURL, http: http).blockNumber() == UInt64.max)
        #expect(sentBody(http) == #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#)
    }

    @Test(arguments: [#""0x""#, #""12""#, #""0x1g""#, #""0x10000000000000000""#, "12", "null", #""""#])
    func malformedQuantitiesAreBadResponses(result: String) async {
        let e = await rpcFailure { () async throws(ChainRPCError) in
            try await ChainRPCClient(url: nodeURL, http: fakeNode(result: result)).chainId()
        }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test func callSendsLowerCaseAddressCalldataAndBlock() async throws {
        let http = fakeNode(result: #""0x00ff""#)
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        let out = try await rpc.call(to: usdc, data: [0xde, 0xad, 0xbe, 0xef], block: "finalized")
        #expect(out == [0x00, 0xff])
        #expect(sentBody(http) == #"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"\#(usdcLower)","data":"0xdeadbeef"},"finalized"]}"#)
        _ = try await rpc.call(to: usdc, data: [])
        #expect(sentBody(http, 1).hasSuffix(#""data":"0x"},"latest"]}"#))
    }

    @Test func balanceOfEncodesSelectorAndPaddedOwner() async throws {
        let word = "0x" + String(repeating: "0", count: 58) + "0f4240" // 1_000_000
        let http = fakeNode(result: "\"\(word)\"")
        let balance = try await ChainRPCClient(url: nodeURL, http: http).balanceOf(token: usdc, owner: payer)
        #expect(balance == UInt256(1_000_000))
        let params = try #require(try JSONValue.parse(sentBody(http))["params"]?.arrayValue)
        #expect(params[0]["to"] == .string(usdcLower))
        #expect(params[0]["data"] == .string("0x70a08231" + payerWord.dropFirst(2)))
        #expect(params[1] == "latest")
    }

    @Test func balanceOfKeepsAll256Bits() async throws {
        let word = "0x01" + String(repeating: "00", count: 31)  // 2^248, far beyond 64 bits
        let balance = try await ChainRPCClient(url: nodeURL, http: fakeNode(result: "\"\(word)\"")).balanceOf(token: usdc, owner: payer)
        // Python: int("01" + "00" * 31, 16)
        #expect(balance.decimalString == "452312848583266388373324160190187140051835877600158453279131187530910662656")
    }

    @Test(arguments: [#""0x""#, #""0x01""#, "\"0x" + String(repeating: "00", count: 33) + "\""])
    func balanceOfNeedsExactlyOneWord(result: String) async {
        let e = await rpcFailure { () async throws(ChainRPCError) in
            try await ChainRPCClient(url: nodeURL, http: fakeNode(result: result)).balanceOf(token: usdc, owner: payer)
        }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test(arguments: [(1, true), (0, false)])
    func authorizationStateEncodesCallAndDecodesBool(value: Int, expected: Bool) async throws {
        let word = "0x" + String(repeating: "0", count: 63) + String(value)
        let http = fakeNode(result: "\"\(word)\"")
        let used = try await ChainRPCClient(url: nodeURL, http: http).authorizationState(token: usdc, authorizer: payer, nonce: nonce)
        #expect(used == expected)
        let data = "0xe94a0102" + payerWord.dropFirst(2) + nonceHex.dropFirst(2)
        #expect(sentBody(http) == #"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"\#(usdcLower)","data":"\#(data)"},"latest"]}"#)
    }

    @Test func authorizationStateRefusesNonBoolWords() async {
        let word = "0x" + String(repeating: "0", count: 63) + "2"
        let e = await rpcFailure { () async throws(ChainRPCError) in
            try await ChainRPCClient(url: nodeURL, http: fakeNode(result: "\"\(word)\"")).authorizationState(token: usdc, authorizer: payer, nonce: nonce)
        }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test func badArgumentsAreRefusedBeforeSending() async {
        let http = fakeNode(result: #""0x""#)
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        let errors: [ChainRPCError?] = [
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.call(to: "0x1234", data: []) },
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.call(to: String(usdc.dropFirst(2)), data: []) },
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.balanceOf(token: usdc, owner: "0xzz" + String(repeating: "0", count: 38)) },
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.authorizationState(token: usdc, authorizer: payer, nonce: [1, 2, 3]) },
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.getLogs(address: usdc, topics: ["0x01"], fromBlock: "0x0", toBlock: "latest") },
            await rpcFailure { () async throws(ChainRPCError) in try await rpc.findAuthorizationUsed(token: usdc, authorizer: payer, nonce: []) },
        ]
        for e in errors { #expect(e?.code == "rpc.invalid_argument") }
        #expect(http.requests.isEmpty)
    }

    @Test func quantityEncoding() {
        #expect(ChainRPCClient.quantity(0) == "0x0")
        #expect(ChainRPCClient.quantity(26) == "0x1a")
        #expect(ChainRPCClient.quantity(UInt64.max) == "0xffffffffffffffff")
    }

    @Test func concurrentRequestsGetDistinctIds() async throws {
        let http = fakeNode(result: #""0x1""#)
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0..<50 { group.addTask { try await rpc.blockNumber() } }
            for try await n in group { #expect(n == 1) }
        }
        let ids = http.requests.compactMap { (try? JSONValue.parse($0.body ?? []))?["id"]?.int64Value }
        #expect(Set(ids) == Set(1...50))
    }
}
