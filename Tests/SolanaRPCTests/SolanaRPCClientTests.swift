// Purse — SolanaRPC tests.
// The client's own rules: the JSON-RPC envelope, strict parsing, typed errors.

import HTTP
import PurseCore
import PurseTesting
import Solana
import Testing

@testable import SolanaRPC

/// A fake node whose every answer is `{"jsonrpc":"2.0","id":<id>,"result":<result>}`, or a whole body.
func fakeNode(status: Int = 200, body: @escaping @Sendable (_ id: JSONValue) -> String) -> InMemoryHTTPClient {
    InMemoryHTTPClient { request throws(HTTPError) in
        let id = (try? JSONValue.parse(request.body ?? []))?["id"] ?? .null
        return HTTPResponse(status: status, body: Array(body(id).utf8), effectiveURL: request.url)
    }
}

func fakeNode(result: String) -> InMemoryHTTPClient {
    fakeNode { id in #"{"jsonrpc":"2.0","id":\#(id.encoded()),"result":\#(result)}"# }
}

/// Runs a call that must fail and returns its error (nil if it succeeded).
func rpcFailure<T>(_ body: () async throws(SolanaRPCError) -> T) async -> SolanaRPCError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

@Suite struct SolanaRPCClientTests {
    static let url = "https://api.devnet.solana.com"
    static let someKey = try! SolanaPublicKey(base58: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
    static let someSignature = try! SolanaSignature(bytes: [UInt8](repeating: 7, count: 64))
    static let context = #"{"context":{"slot":5},"value":"#

    func rpc(_ http: InMemoryHTTPClient) -> SolanaRPCClient { SolanaRPCClient(url: Self.url, http: http) }

    @Test func requestsAreJSONRPC2PostsWithIncreasingIds() async throws {
        let http = fakeNode(result: "1")
        let client = rpc(http)
        _ = try await client.request("getSlot", [])
        _ = try await client.getBlockHeight(commitment: .finalized)
        #expect(String(decoding: http.requests[0].body!, as: UTF8.self) == #"{"jsonrpc":"2.0","id":1,"method":"getSlot","params":[]}"#)
        #expect(String(decoding: http.requests[1].body!, as: UTF8.self) == #"{"jsonrpc":"2.0","id":2,"method":"getBlockHeight","params":[{"commitment":"finalized"}]}"#)
        #expect(http.requests[0].url == Self.url)
        #expect(http.requests[0].headers["accept"] == "application/json")
    }

    @Test func envelopeErrorsAreTyped() async {
        let transportFailure = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false) }
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(transportFailure).getBlockHeight() }?.code == "solana.rpc_transport")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode(status: 502) { _ in "" }).getBlockHeight() }?.code == "solana.rpc_bad_response")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode { _ in "not json" }).getBlockHeight() }?.code == "solana.rpc_bad_response")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode { _ in #"{"jsonrpc":"2.0","id":99,"result":1}"# }).getBlockHeight() }?.code == "solana.rpc_bad_response")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode { _ in #"{"jsonrpc":"1.0","id":1,"result":1}"# }).getBlockHeight() }?.code == "solana.rpc_bad_response")
        let error = await rpcFailure { () async throws(SolanaRPCError) in
            try await rpc(fakeNode { id in #"{"jsonrpc":"2.0","id":\#(id.encoded()),"error":{"code":-32005,"message":"Node is behind","data":{"numSlotsBehind":9}}}"# }).getBlockHeight()
        }
        #expect(error == .rpcError(code: -32005, message: "Node is behind", data: ["numSlotsBehind": 9]))
        #expect(error?.code == "solana.rpc_error")
    }

    @Test(arguments: [
        #""1""#, "-1", "1.5", "1e3", "18446744073709551616", "null", "true",
    ])
    func numbersAreStrictU64s(result: String) async {
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode(result: result)).getBlockHeight() }?.code == "solana.rpc_bad_response")
    }

    @Test func theLargestU64IsRead() async throws {
        #expect(try await rpc(fakeNode(result: "18446744073709551615")).getBlockHeight() == .max)
    }

    @Test(arguments: [
        // no context, a value of the wrong type, data not base64, data in base58, a bad owner, lamports as a string
        #"{"value":null}"#,
        #"{"context":{"slot":5},"value":[]}"#,
        #"{"context":{"slot":5},"value":{"lamports":1,"owner":"11111111111111111111111111111111","executable":false,"data":["@@@","base64"]}}"#,
        #"{"context":{"slot":5},"value":{"lamports":1,"owner":"11111111111111111111111111111111","executable":false,"data":["","base58"]}}"#,
        #"{"context":{"slot":5},"value":{"lamports":1,"owner":"0x00","executable":false,"data":["","base64"]}}"#,
        #"{"context":{"slot":5},"value":{"lamports":"1","owner":"11111111111111111111111111111111","executable":false,"data":["","base64"]}}"#,
    ])
    func malformedAccountsAreBadResponses(result: String) async {
        let e = await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode(result: result)).getAccountInfo(Self.someKey) }
        #expect(e?.code == "solana.rpc_bad_response")
    }

    @Test func statusesMustMatchTheSignaturesAsked() async {
        let e = await rpcFailure { () async throws(SolanaRPCError) in
            try await rpc(fakeNode(result: Self.context + "[]}")).getSignatureStatuses([Self.someSignature])
        }
        #expect(e?.code == "solana.rpc_bad_response")
        let badLevel = await rpcFailure { () async throws(SolanaRPCError) in
            try await rpc(fakeNode(result: Self.context + #"[{"slot":1,"confirmations":null,"err":null,"confirmationStatus":"rooted"}]}"#)).getSignatureStatuses([Self.someSignature])
        }
        #expect(badLevel?.code == "solana.rpc_bad_response")
        let tooMany = await rpcFailure { () async throws(SolanaRPCError) in
            try await rpc(fakeNode(result: "null")).getSignatureStatuses(Array(repeating: Self.someSignature, count: 257))
        }
        #expect(tooMany?.code == "solana.rpc_invalid_argument")
    }

    @Test func transactionsMustBeReadableV0() async {
        // A transaction that is not base64, and one that is not a transaction.
        for tx in [#"["!!","base64"]"#, #"["AAAA","base64"]"#, #""AAAA""#] {
            let e = await rpcFailure { () async throws(SolanaRPCError) in
                try await rpc(fakeNode(result: #"{"slot":1,"blockTime":null,"transaction":\#(tx),"meta":null}"#)).getTransaction(Self.someSignature)
            }
            #expect(e?.code == "solana.rpc_bad_response")
        }
        let processed = await rpcFailure { () async throws(SolanaRPCError) in try await rpc(fakeNode(result: "null")).getTransaction(Self.someSignature, commitment: .processed) }
        #expect(processed?.code == "solana.rpc_invalid_argument")
    }

    @Test func tokenAmountsAreStringsOfDigits() async {
        for value in [#"{"amount":10,"decimals":6}"#, #"{"amount":"-1","decimals":6}"#, #"{"amount":"1","decimals":256}"#, #"{"amount":"1.5","decimals":6}"#] {
            let e = await rpcFailure { () async throws(SolanaRPCError) in
                try await rpc(fakeNode(result: Self.context + value + "}")).getTokenAccountBalance(Self.someKey)
            }
            #expect(e?.code == "solana.rpc_bad_response", "\(value)")
        }
    }

    @Test func aTokenBalanceFromSomeoneElsesAccountIsRefused() async throws {
        // An account at the ATA's address whose owner field names another wallet.
        let owner = SolanaKeypair.generate().publicKey
        var data = Self.someKey.bytes + SolanaKeypair.generate().publicKey.bytes + [1, 0, 0, 0, 0, 0, 0, 0]
        data += [UInt8](repeating: 0, count: 165 - data.count)
        let account = #"{"lamports":1,"owner":"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA","executable":false,"data":["\#(Base64.encode(data))","base64"]}"#
        let e = await rpcFailure { () async throws(SolanaRPCError) in
            try await rpc(fakeNode(result: Self.context + account + "}")).tokenBalance(owner: owner, mint: Self.someKey, tokenProgram: .token)
        }
        #expect(e?.code == "solana.rpc_bad_response")
        #expect(try await rpc(fakeNode(result: Self.context + "null}")).tokenBalance(owner: owner, mint: Self.someKey, tokenProgram: .token) == 0)
    }

    @Test func argumentsAreCheckedBeforeSending() async {
        let http = fakeNode(result: "[]")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(http).getSignaturesForAddress(Self.someKey, limit: 0) }?.code == "solana.rpc_invalid_argument")
        #expect(await rpcFailure { () async throws(SolanaRPCError) in try await rpc(http).getSignaturesForAddress(Self.someKey, limit: 1001) }?.code == "solana.rpc_invalid_argument")
        #expect(http.requests.isEmpty)
    }

    @Test func pagingParametersAreSent() async throws {
        let http = fakeNode(result: "[]")
        _ = try await rpc(http).getSignaturesForAddress(Self.someKey, limit: 5, before: Self.someSignature, until: Self.someSignature, commitment: .finalized)
        let sent = try JSONValue.parse(http.requests[0].body!)
        #expect(sent["params"] == [.string(Self.someKey.base58), ["commitment": "finalized", "limit": 5, "before": .string(Self.someSignature.base58), "until": .string(Self.someSignature.base58)]])
    }
}
