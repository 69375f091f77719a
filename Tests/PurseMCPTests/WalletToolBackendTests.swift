import Foundation
import HTTP
import PurseCore
import PurseTesting
import Testing
import Wallet
@testable import PurseMCP

/// The real backend over a real wallet (config file, ledger, key), with an in-memory seller.
@Suite struct WalletToolBackendTests {
    static let token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    static let seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"

    /// The config file and the ledger, removed when the test ends.
    let dir: ScratchDirectory
    let backend: WalletToolBackend
    let wallet: PurseWallet
    let context = ToolCallContext(approver: NoApprover(), log: { _, _ in })

    init() throws {
        dir = try ScratchDirectory("purse-backend")
        let config = dir.url.appendingPathComponent("config.json")
        let text = #"{"networks":{"eip155:84532":{"rpcUrl":"http://127.0.0.1:1","assets":[{"address":""# + Self.token
            + #"","name":"USDC","version":"2","decimals":6,"symbol":"USDC"}]}},"policy":{"maxPerRequest":"0.10","sessionBudget":"0.015"}}"#
        try Data(text.utf8).write(to: config)
        let offer: JSONValue = ["x402Version": 2, "resource": ["url": "http://seller.test/w"], "accepts": [[
            "scheme": "exact", "network": "eip155:84532", "asset": .string(Self.token), "amount": "10000",
            "payTo": .string(Self.seller), "maxTimeoutSeconds": 300, "extra": ["name": "USDC", "version": "2"],
        ]]]
        let receipt: JSONValue = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532"]
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            if r.headers["PAYMENT-SIGNATURE"] != nil {
                return HTTPResponse(status: 200, headers: HTTPHeaders([("PAYMENT-RESPONSE", Base64.encode(receipt.encodedBytes())), ("Content-Type", "application/json")]),
                                    body: Array(#"{"ok":true}"#.utf8), truncated: false, redirectLocation: nil, effectiveURL: r.url)
            }
            return HTTPResponse(status: 402, headers: HTTPHeaders([("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes()))]), body: Array("{}".utf8),
                                truncated: false, redirectLocation: nil, effectiveURL: r.url)
        }
        let options = WalletOptions(configPath: config.path, dbPath: dir.file("l.db"),
                                    environment: ["PURSE_PRIVATE_KEY": "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"],
                                    sessionKind: "serve")
        wallet = try PurseWallet(options: options, http: http)
        backend = WalletToolBackend(wallet: wallet)
    }

    func call(_ tool: String, _ arguments: JSONObject = [:]) async -> ToolResult {
        let filled = SchemaValidator.fillingDefaults(arguments, from: ToolCatalog.inputSchema(tool))
        return await backend.callTool(tool, arguments: filled, context: context)
    }

    func matchesSchema(_ tool: String, _ result: ToolResult) -> Bool {
        SchemaValidator.validate(result.structured, against: ToolCatalog.outputSchema(tool)) == nil
    }

    @Test func paidFetchPaysOnceThenTheSessionBudgetRefuses() async throws {
        let first = await call("paid_fetch", ["url": "http://seller.test/w"])
        #expect(!first.isError && first.structured["paid"] == true && matchesSchema("paid_fetch", first))
        #expect(first.structured["payment"]?["status"] == "settled")
        let second = await call("paid_fetch", ["url": "http://seller.test/w"])
        #expect(second.isError && second.structured["error"]?["code"] == "budget.session_exceeded" && matchesSchema("paid_fetch", second))
    }

    @Test func quoteSaysWhatFetchWouldDoAndPaysNothing() async throws {
        let q = await call("quote", ["url": "http://seller.test/w", "method": "GET"])
        #expect(!q.isError && q.structured["wouldPay"] == true && matchesSchema("quote", q))
        let log = await call("spend_log", ["session": "current"])
        #expect(log.structured["payments"] == .array([]))
    }

    @Test func aBadMaxPriceIsAnErrorResult() async {
        let r = await call("paid_fetch", ["url": "http://seller.test/w", "max_price": "0.0000001"])
        #expect(r.isError && r.structured["error"]?["code"] == "input.bad_max_price")
    }

    @Test func readToolsGoThroughTheWallet() async throws {
        _ = await call("paid_fetch", ["url": "http://seller.test/w"])
        let budget = await call("budget_status")
        #expect(!budget.isError && budget.structured["session"]?["spent"] == "0.01" && matchesSchema("budget_status", budget))
        let log = await call("spend_log", ["session": "current"])
        #expect(log.structured["payments"]?.arrayValue?.count == 1 && matchesSchema("spend_log", log))
        #expect(await call("spend_log", ["session": "s_unknownxxxxx"]).structured["error"]?["code"] == "session.unknown")
        let address = await call("wallet_address")
        #expect(address.structured["address"] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        let balance = await call("wallet_balance", ["network": "eip155:8453"])
        #expect(balance.isError && balance.structured["error"]?["code"] == "mcp.network_not_allowed")
        #expect(await backend.readResource("purse://budget")?["session"]?["spent"] == "0.01")
    }

    @Test func theClientNameIsRecordedOnTheSession() async throws {
        await backend.clientConnected(name: "claude-code", version: "2.1")
        let sessions = try wallet.ledger.sessions()
        #expect(sessions.first { $0.id == wallet.session.id }?.clientName == "claude-code 2.1")
    }
}
