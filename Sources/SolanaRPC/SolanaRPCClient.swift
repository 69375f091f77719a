// Purse — SolanaRPC module (edge).
// The Solana JSON-RPC reads a paying wallet needs: mint facts, blockhash, statuses, transactions, balances.

import HTTP
import PurseCore
import Solana

/// A small Solana JSON-RPC client over any `HTTPClient`.
///
/// Only reads: Purse never sends a transaction itself (the x402 facilitator co-signs as fee
/// payer and submits). Answers are parsed strictly, in the shapes a Solana node (and the offline
/// world's LiteSVM shim, which solders' parsers check) returns; anything else is
/// `.badResponse`, never a guess.
public struct SolanaRPCClient: Sendable {
    /// The node's URL.
    public var url: String { caller.url }
    private let caller: JSONRPCCaller

    /// Creates a client for the node at `url`, sending through `http`.
    public init(url: String, http: any HTTPClient) {
        caller = JSONRPCCaller(url: url, http: http)
    }

    /// Sends one JSON-RPC 2.0 call (POST, `Content-Type: application/json`) and returns its `result`.
    ///
    /// - Throws: `.transport` when HTTP fails, `.rpcError` for an error object, `.badResponse`
    ///   for a non-200 status, a truncated or non-JSON body, a wrong `jsonrpc` or `id`, or no result.
    public func request(_ method: String, _ params: [JSONValue]) async throws(SolanaRPCError) -> JSONValue {
        try await caller.call(method, params, throwing: SolanaRPCError.self)
    }

    /// `{"commitment": …}` plus extra options, the config object most methods take last.
    private static func config(_ commitment: SolanaCommitment, _ extra: [(String, JSONValue)] = []) -> JSONValue {
        var object: JSONObject = ["commitment": .string(commitment.rawValue)]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// An account, or nil when it does not exist (`getAccountInfo`, base64 data).
    public func getAccountInfo(_ address: SolanaPublicKey, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> SolanaAccountInfo? {
        let read = SolanaJSONReader(method: "getAccountInfo")
        let result = try await request("getAccountInfo", [.string(address.base58), Self.config(commitment, [("encoding", "base64")])])
        let value = try read.contextValue(result)
        if value.isNull { return nil }
        _ = try read.object(value, "value")
        return SolanaAccountInfo(
            lamports: try read.u64(value["lamports"], "value.lamports"),
            owner: try read.publicKey(value["owner"], "value.owner"),
            data: try read.base64Pair(value["data"], "value.data"),
            executable: try read.bool(value["executable"], "value.executable"))
    }

    /// A mint's token program (its owner) and decimals, as the x402 SDK client reads them.
    ///
    /// - Throws: `.accountNotFound` when there is no such account, `.notAMint` when it is not a
    ///   mint of SPL Token or Token-2022 (see `SolanaMint.init(owner:data:)`), or the call's errors.
    public func getMint(_ mint: SolanaPublicKey, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> SolanaMint {
        guard let account = try await getAccountInfo(mint, commitment: commitment) else { throw .accountNotFound(mint) }
        do { return try SolanaMint(owner: account.owner, data: account.data) } catch { throw .notAMint(mint, error.detail) }
    }

    /// A blockhash to build on and its last valid block height (`getLatestBlockhash`).
    ///
    /// The default commitment is `finalized`, what the x402 SDK client (solana-py's default)
    /// asks: every node that might relay the transaction knows a finalized blockhash.
    public func getLatestBlockhash(commitment: SolanaCommitment = .finalized) async throws(SolanaRPCError) -> SolanaLatestBlockhash {
        let read = SolanaJSONReader(method: "getLatestBlockhash")
        let result = try await request("getLatestBlockhash", [Self.config(commitment)])
        let value = try read.object(try read.contextValue(result), "value")
        let text = try read.string(value["blockhash"], "value.blockhash")
        let blockhash: SolanaHash
        do { blockhash = try SolanaHash(base58: text) } catch { throw read.fail("value.blockhash", "is not a hash (\(error.message))") }
        return SolanaLatestBlockhash(
            blockhash: blockhash,
            lastValidBlockHeight: try read.u64(value["lastValidBlockHeight"], "value.lastValidBlockHeight"),
            slot: try read.u64(result["context"]?["slot"], "context.slot"))
    }

    /// Whether a transaction built on `blockhash` can still land (`isBlockhashValid`): false once
    /// the node is past the blockhash's last valid block height, and then a transaction that has
    /// not landed never will.
    public func isBlockhashValid(_ blockhash: SolanaHash, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> Bool {
        let read = SolanaJSONReader(method: "isBlockhashValid")
        let result = try await request("isBlockhashValid", [.string(blockhash.base58), Self.config(commitment)])
        return try read.bool(try read.contextValue(result), "value")
    }

    /// The cluster's genesis hash (`getGenesisHash`): a Solana CAIP-2 network id is
    /// `solana:` and its first 32 base58 characters, so this tells which cluster a node serves.
    public func getGenesisHash() async throws(SolanaRPCError) -> SolanaHash {
        let read = SolanaJSONReader(method: "getGenesisHash")
        let text = try read.string(try await request("getGenesisHash", []), "result")
        do { return try SolanaHash(base58: text) } catch { throw read.fail("result", "is not a hash (\(error.message))") }
    }

    /// The current block height (`getBlockHeight`), to compare with a blockhash's last valid height.
    public func getBlockHeight(commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> UInt64 {
        let result = try await request("getBlockHeight", [Self.config(commitment)])
        return try SolanaJSONReader(method: "getBlockHeight").u64(result, "result")
    }

    /// The status of each transaction, nil for one the node does not know (`getSignatureStatuses`).
    ///
    /// - Parameters:
    ///   - signatures: transaction ids (first signatures), at most 256.
    ///   - searchTransactionHistory: also look past the recent status cache (for reconcile).
    public func getSignatureStatuses(_ signatures: [SolanaSignature], searchTransactionHistory: Bool = true) async throws(SolanaRPCError) -> [SolanaSignatureStatus?] {
        guard signatures.count <= 256 else { throw .invalidArgument("at most 256 signatures per call, got \(signatures.count)") }
        let read = SolanaJSONReader(method: "getSignatureStatuses")
        let result = try await request("getSignatureStatuses", [
            .array(signatures.map { .string($0.base58) }), ["searchTransactionHistory": .bool(searchTransactionHistory)],
        ])
        let values = try read.array(try read.contextValue(result), "value")
        guard values.count == signatures.count else { throw read.fail("value", "has \(values.count) entries for \(signatures.count) signatures") }
        var out: [SolanaSignatureStatus?] = []
        for (i, value) in values.enumerated() {
            if value.isNull {
                out.append(nil)
                continue
            }
            _ = try read.object(value, "value[\(i)]")
            out.append(SolanaSignatureStatus(
                slot: try read.u64(value["slot"], "value[\(i)].slot"),
                confirmations: try read.optional(value["confirmations"]) { v throws(SolanaRPCError) in try read.u64(v, "value[\(i)].confirmations") },
                err: try Self.error(value["err"], read, "value[\(i)].err"),
                confirmationStatus: try Self.commitment(value["confirmationStatus"], read, "value[\(i)].confirmationStatus")))
        }
        return out
    }

    /// A transaction and its outcome, or nil when the node does not have it (`getTransaction`).
    ///
    /// Asks for base64 and parses the bytes with Purse's own reader, so the signatures and the
    /// `TransferChecked` are read exactly as they were signed (no node-side "parsing").
    /// - Parameter commitment: `confirmed` or `finalized` (the node refuses `processed`).
    public func getTransaction(_ signature: SolanaSignature, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> SolanaTransactionRecord? {
        guard commitment != .processed else { throw .invalidArgument("getTransaction takes confirmed or finalized") }
        let read = SolanaJSONReader(method: "getTransaction")
        let result = try await request("getTransaction", [
            .string(signature.base58), Self.config(commitment, [("encoding", "base64"), ("maxSupportedTransactionVersion", 0)]),
        ])
        if result.isNull { return nil }
        _ = try read.object(result, "result")
        let bytes = try read.base64Pair(result["transaction"], "transaction")
        let transaction: SolanaTransaction
        do { transaction = try SolanaTransaction(serialized: bytes) } catch { throw read.fail("transaction", "cannot be read (\(error.message))") }
        var meta: SolanaTransactionRecord.Meta?
        if let m = result["meta"], !m.isNull {
            _ = try read.object(m, "meta")
            meta = SolanaTransactionRecord.Meta(
                err: try Self.error(m["err"], read, "meta.err"),
                fee: try read.u64(m["fee"], "meta.fee"),
                preTokenBalances: try Self.tokenBalances(m["preTokenBalances"], read, "meta.preTokenBalances"),
                postTokenBalances: try Self.tokenBalances(m["postTokenBalances"], read, "meta.postTokenBalances"))
        }
        return SolanaTransactionRecord(
            slot: try read.u64(result["slot"], "slot"),
            blockTime: try read.optional(result["blockTime"]) { v throws(SolanaRPCError) in try read.i64(v, "blockTime") },
            transaction: transaction, meta: meta)
    }

    /// Transactions that touched `address`, newest first (`getSignaturesForAddress`).
    ///
    /// How reconcile finds a payment whose receipt never came: list the payer's token account
    /// and look for the transaction whose slot 1 holds the payer's signature.
    /// - Parameters:
    ///   - limit: 1 to 1000.
    ///   - before: start after this transaction (paging back in time).
    ///   - until: stop at this transaction.
    public func getSignaturesForAddress(
        _ address: SolanaPublicKey, limit: Int = 100, before: SolanaSignature? = nil, until: SolanaSignature? = nil,
        commitment: SolanaCommitment = .confirmed
    ) async throws(SolanaRPCError) -> [SolanaSignatureInfo] {
        guard (1...1000).contains(limit) else { throw .invalidArgument("limit must be 1 to 1000, got \(limit)") }
        guard commitment != .processed else { throw .invalidArgument("getSignaturesForAddress takes confirmed or finalized") }
        var extra: [(String, JSONValue)] = [("limit", .integer(limit))]
        if let before { extra.append(("before", .string(before.base58))) }
        if let until { extra.append(("until", .string(until.base58))) }
        let read = SolanaJSONReader(method: "getSignaturesForAddress")
        let result = try await request("getSignaturesForAddress", [.string(address.base58), Self.config(commitment, extra)])
        var out: [SolanaSignatureInfo] = []
        for (i, entry) in try read.array(result, "result").enumerated() {
            _ = try read.object(entry, "result[\(i)]")
            out.append(SolanaSignatureInfo(
                signature: try read.signature(entry["signature"], "result[\(i)].signature"),
                slot: try read.u64(entry["slot"], "result[\(i)].slot"),
                err: try Self.error(entry["err"], read, "result[\(i)].err"),
                memo: try read.optional(entry["memo"]) { v throws(SolanaRPCError) in try read.string(v, "result[\(i)].memo") },
                blockTime: try read.optional(entry["blockTime"]) { v throws(SolanaRPCError) in try read.i64(v, "result[\(i)].blockTime") },
                confirmationStatus: try Self.commitment(entry["confirmationStatus"], read, "result[\(i)].confirmationStatus")))
        }
        return out
    }

    /// An account's balance in lamports (`getBalance`); 0 for an account that does not exist.
    public func getBalance(_ address: SolanaPublicKey, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> UInt64 {
        let read = SolanaJSONReader(method: "getBalance")
        let result = try await request("getBalance", [.string(address.base58), Self.config(commitment)])
        return try read.u64(try read.contextValue(result), "value")
    }

    /// A token account's balance (`getTokenAccountBalance`).
    ///
    /// A node answers an error (`.rpcError`, code −32602) for an account that does not exist; a
    /// wallet's balance should use `tokenBalance(owner:mint:tokenProgram:)`, which reads 0 then.
    public func getTokenAccountBalance(_ account: SolanaPublicKey, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> SolanaTokenAmount {
        let read = SolanaJSONReader(method: "getTokenAccountBalance")
        let result = try await request("getTokenAccountBalance", [.string(account.base58), Self.config(commitment)])
        return try Self.tokenAmount(try read.contextValue(result), read, "value")
    }

    /// A wallet's balance of `mint`: the amount in its associated token account, 0 when that
    /// account does not exist yet (`getAccountInfo` on the derived ATA, then the token account
    /// layout: mint at 0, owner at 32, amount at 64).
    ///
    /// - Throws: `.badResponse` when the account at the ATA's address is not a token account of
    ///   that owner and mint under `tokenProgram`, or the call's errors.
    public func tokenBalance(owner: SolanaPublicKey, mint: SolanaPublicKey, tokenProgram: SolanaTokenProgram, commitment: SolanaCommitment = .confirmed) async throws(SolanaRPCError) -> UInt64 {
        let ata = SolanaAssociatedTokenAccount.address(owner: owner, mint: mint, tokenProgram: tokenProgram)
        guard let account = try await getAccountInfo(ata, commitment: commitment) else { return 0 }
        let data = account.data
        guard account.owner == tokenProgram.id, data.count >= 165,
              Array(data[0..<32]) == mint.bytes, Array(data[32..<64]) == owner.bytes
        else { throw .badResponse("getAccountInfo: \(ata) is not the \(tokenProgram.rawValue) token account of \(owner) for \(mint)") }
        return data[64..<72].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A transaction error: nil for JSON null (success), else the value as given.
    private static func error(_ value: JSONValue?, _ read: SolanaJSONReader, _ what: String) throws(SolanaRPCError) -> JSONValue? {
        guard let value else { throw read.fail(what, "is missing") }
        // Spelled out: JSONValue is ExpressibleByNilLiteral, so a bare `nil` here would be `.null`.
        return value.isNull ? Optional<JSONValue>.none : .some(value)
    }

    /// A `confirmationStatus`, nil when absent or null.
    private static func commitment(_ value: JSONValue?, _ read: SolanaJSONReader, _ what: String) throws(SolanaRPCError) -> SolanaCommitment? {
        guard let text = try read.optional(value, { v throws(SolanaRPCError) in try read.string(v, what) }) else { return nil }
        guard let level = SolanaCommitment(rawValue: text) else { throw read.fail(what, "is \"\(text)\", not processed, confirmed or finalized") }
        return level
    }

    /// `{"amount": "<digits>", "decimals": n, …}`.
    private static func tokenAmount(_ value: JSONValue?, _ read: SolanaJSONReader, _ what: String) throws(SolanaRPCError) -> SolanaTokenAmount {
        let object = try read.object(value, what)
        return SolanaTokenAmount(amount: try read.u64String(object["amount"], "\(what).amount"), decimals: try read.u8(object["decimals"], "\(what).decimals"))
    }

    /// `preTokenBalances` / `postTokenBalances`; absent or null means none.
    private static func tokenBalances(_ value: JSONValue?, _ read: SolanaJSONReader, _ what: String) throws(SolanaRPCError) -> [SolanaTokenBalance] {
        guard let entries = try read.optional(value, { v throws(SolanaRPCError) in try read.array(v, what) }) else { return [] }
        var out: [SolanaTokenBalance] = []
        for (i, entry) in entries.enumerated() {
            let at = "\(what)[\(i)]"
            _ = try read.object(entry, at)
            let index = try read.u64(entry["accountIndex"], "\(at).accountIndex")
            guard index < 256 else { throw read.fail("\(at).accountIndex", "is \(index), past the 256 accounts a transaction has") }
            out.append(SolanaTokenBalance(
                accountIndex: Int(index),
                mint: try read.publicKey(entry["mint"], "\(at).mint"),
                owner: try read.optional(entry["owner"]) { v throws(SolanaRPCError) in try read.publicKey(v, "\(at).owner") },
                programId: try read.optional(entry["programId"]) { v throws(SolanaRPCError) in try read.publicKey(v, "\(at).programId") },
                amount: try tokenAmount(entry["uiTokenAmount"], read, "\(at).uiTokenAmount")))
        }
        return out
    }
}
