// Purse ChainRPC module: the Ethereum JSON-RPC reads the wallet needs.

import EVM
import HTTP
import PurseCore

/// A small Ethereum JSON-RPC client over any `HTTPClient`: chain id, block number, `eth_call`
/// (ERC-20 `balanceOf`, EIP-3009 `authorizationState`) and `eth_getLogs`.
///
/// Addresses are `0x` hex strings (any case, checksums not verified), words and data are bytes;
/// what it sends is lower-case hex. Selectors, call data, return-data decoding and event topics
/// all come from EVM's `ABI`, which pins them against independently computed values; nothing
/// here restates them.
public struct ChainRPCClient: Sendable {
    /// The node's URL.
    public var url: String { caller.url }
    private let caller: JSONRPCCaller

    /// Creates a client for the node at `url`, sending through `http`.
    public init(url: String, http: any HTTPClient) {
        caller = JSONRPCCaller(url: url, http: http)
    }

    /// Encodes a block number as a JSON-RPC quantity (`0x0`, `0x1a`…), for `fromBlock`/`toBlock`.
    public static func quantity(_ value: UInt64) -> String { EthHex.quantity(value) }

    /// Sends one JSON-RPC 2.0 call (POST, `Content-Type: application/json`) and returns its `result`.
    ///
    /// - Throws: `.transport` when HTTP fails, `.rpcError` for an error object, `.badResponse`
    ///   for a non-200 status, a truncated or non-JSON body, a wrong `jsonrpc` or `id`, or no result.
    public func request(_ method: String, _ params: [JSONValue]) async throws(ChainRPCError) -> JSONValue {
        try await caller.call(method, params, throwing: ChainRPCError.self)
    }

    /// The chain id (`eth_chainId`), such as 8453 for Base.
    public func chainId() async throws(ChainRPCError) -> UInt64 {
        let result = try await request("eth_chainId", [])
        guard let value = EthHex.parseQuantity(result) else { throw .badResponse("eth_chainId returned \(result.encoded())") }
        return value
    }

    /// The latest block number (`eth_blockNumber`).
    public func blockNumber() async throws(ChainRPCError) -> UInt64 {
        let result = try await request("eth_blockNumber", [])
        guard let value = EthHex.parseQuantity(result) else { throw .badResponse("eth_blockNumber returned \(result.encoded())") }
        return value
    }

    /// Runs a read-only contract call (`eth_call`) and returns the raw return data.
    ///
    /// - Parameters:
    ///   - to: the contract, `0x` and 40 hex digits.
    ///   - data: the calldata (selector and ABI-encoded arguments).
    ///   - block: a block tag (`latest`, `safe`, `finalized`…) or a quantity.
    public func call(to: String, data: [UInt8], block: String = "latest") async throws(ChainRPCError) -> [UInt8] {
        let contract = try EthHex.address(to, "the contract address")
        let call: JSONValue = ["to": .string(contract.lowercased), "data": .string(Hex.encode(data))]
        let result = try await request("eth_call", [call, .string(block)])
        guard let bytes = EthHex.parseData(result) else { throw .badResponse("eth_call returned \(result.encoded())") }
        return bytes
    }

    /// An ERC-20 balance: `balanceOf(owner)` on `token`, in the token's atomic units.
    ///
    /// The call data and the decoding are `ABI.balanceOfCall` and `ABI.decodeUInt256`, so the
    /// selector and word layout live in one place (the EVM module).
    /// - Throws: `.invalidArgument` for a malformed address; `.badResponse` unless the node
    ///   returned exactly one 32-byte word (no data usually means no token contract there).
    public func balanceOf(token: String, owner: String) async throws(ChainRPCError) -> UInt256 {
        let holder = try EthHex.address(owner, "the owner address")
        let word = try await call(to: token, data: ABI.balanceOfCall(owner: holder))
        do throws(ABIError) {
            return try ABI.decodeUInt256(word)
        } catch {
            throw .badResponse("balanceOf returned \(word.count) bytes, not 32 (is \(token) an ERC-20 contract?)")
        }
    }

    /// Whether an EIP-3009 authorization nonce of `authorizer` is used (or cancelled) on `token`.
    ///
    /// - Parameter nonce: the 32-byte nonce.
    public func authorizationState(token: String, authorizer: String, nonce: [UInt8]) async throws(ChainRPCError) -> Bool {
        let from = try EthHex.address(authorizer, "the authorizer address")
        guard nonce.count == 32 else { throw .invalidArgument("the nonce must be 32 bytes, got \(nonce.count)") }
        let word = try await call(to: token, data: ABI.authorizationStateCall(authorizer: from, nonce: nonce))
        do throws(ABIError) {
            return try ABI.decodeBool(word)
        } catch {
            throw .badResponse("authorizationState returned \(Hex.encode(word)), not a bool word")
        }
    }

    /// Event logs of `address` matching `topics` (nil matches anything) in a block range (`eth_getLogs`).
    ///
    /// - Parameters:
    ///   - topics: per position, a `0x` 32-byte topic or nil for any.
    ///   - fromBlock: a block tag or quantity (see `quantity(_:)`).
    ///   - toBlock: a block tag or quantity.
    public func getLogs(address: String, topics: [String?], fromBlock: String, toBlock: String) async throws(ChainRPCError) -> [ChainLog] {
        let contract = try EthHex.address(address, "the log address")
        var topicValues: [JSONValue] = []
        for (i, topic) in topics.enumerated() {
            if let topic { topicValues.append(.string(Hex.encode(try EthHex.word(topic, "topic \(i)")))) } else { topicValues.append(.null) }
        }
        let filter: JSONValue = [
            "address": .string(contract.lowercased), "topics": .array(topicValues),
            "fromBlock": .string(fromBlock), "toBlock": .string(toBlock),
        ]
        let result = try await request("eth_getLogs", [filter])
        guard let entries = result.arrayValue else { throw .badResponse("eth_getLogs returned \(result.typeName), not an array") }
        var logs: [ChainLog] = []
        logs.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() {
            guard let log = Self.parseLog(entry) else { throw .badResponse("eth_getLogs entry \(i) is malformed") }
            logs.append(log)
        }
        return logs
    }

    /// The transaction hash that used an EIP-3009 authorization, found through its
    /// `AuthorizationUsed(authorizer, nonce)` event on `token`, or nil if none is logged yet.
    ///
    /// Logs the node reports as removed, or that do not match the query, are ignored.
    public func findAuthorizationUsed(token: String, authorizer: String, nonce: [UInt8], fromBlock: UInt64 = 0) async throws(ChainRPCError) -> String? {
        let contract = try EthHex.address(token, "the token address")
        let from = try EthHex.address(authorizer, "the authorizer address")
        guard nonce.count == 32 else { throw .invalidArgument("the nonce must be 32 bytes, got \(nonce.count)") }
        let topics = [Hex.encode(ABI.authorizationUsedTopic), Hex.encode(ABI.encode(from)), Hex.encode(nonce)]
        let logs = try await getLogs(address: token, topics: topics, fromBlock: Self.quantity(fromBlock), toBlock: "latest")
        let tokenHex = contract.lowercased
        return logs.first { !$0.removed && $0.address == tokenHex && $0.topics.starts(with: topics) }?.transactionHash
    }

    /// Parses one log object; nil when a required field is missing or malformed.
    static func parseLog(_ entry: JSONValue) -> ChainLog? {
        guard let address = EthHex.parseData(entry["address"], length: 20),
              let topicList = entry["topics"]?.arrayValue,
              let data = EthHex.parseData(entry["data"]),
              let txHash = EthHex.parseData(entry["transactionHash"], length: 32),
              let block = EthHex.parseQuantity(entry["blockNumber"])
        else { return nil }
        var topics: [String] = []
        for topic in topicList {
            guard let bytes = EthHex.parseData(topic, length: 32) else { return nil }
            topics.append(Hex.encode(bytes))
        }
        let logIndex = entry["logIndex"].flatMap { $0.isNull ? nil : $0 }
        var index: UInt64?
        if let logIndex {
            guard let value = EthHex.parseQuantity(logIndex) else { return nil }
            index = value
        }
        return ChainLog(
            address: Hex.encode(address), topics: topics, data: data, transactionHash: Hex.encode(txHash),
            blockNumber: block, logIndex: index, removed: entry["removed"]?.boolValue ?? false
        )
    }
}
