import EVM
import Foundation
import HTTP
import Ledger
import MCPUpstream
import PurseCore
import PurseTesting
import Testing
@testable import Wallet
@testable import X402

/// An in-process paid MCP tool: answers the unpaid call with payment-required in a convention,
/// records every `_meta` it is sent, and answers a paid call with a receipt (or as told).
final class FakeToolUpstream: ToolCallSender, @unchecked Sendable {
    let lock = NSLock()
    var convention: MCPPaymentConvention = .spec
    var price = "10000"
    var metas: [JSONObject?] = []
    /// What to do with each paid call, in order; default: deliver with a receipt.
    var paidAnswers: [PaidBehaviour] = []

    enum PaidBehaviour { case deliver, askAgain, dieAfterSending, tooLarge, deliverWithoutReceipt }

    static let tx = "0x" + String(repeating: "cd", count: 32)

    func callTool(_ tool: String, arguments: JSONObject, meta: JSONObject?) async throws(UpstreamError) -> RPCReply {
        let behaviour: PaidBehaviour? = lock.withLock {
            metas.append(meta)
            guard meta?[MCPPaymentBinding.paymentKey] != nil else { return nil }
            return paidAnswers.isEmpty ? .deliver : paidAnswers.removeFirst()
        }
        if tool == "ping" { return .result(["content": [["type": "text", "text": "pong"]]]) }
        guard let behaviour else { return .result(paymentRequired) }
        switch behaviour {
        case .deliver:
            return .result(["content": [["type": "text", "text": "sunny"]], "structuredContent": ["sky": "sunny"], "isError": false,
                            "_meta": [MCPPaymentBinding.receiptKey: ["success": true, "transaction": .string(Self.tx), "network": "eip155:84532"]]])
        case .deliverWithoutReceipt: return .result(["content": [["type": "text", "text": "sunny"]]])
        case .askAgain: return .result(paymentRequired)
        case .dieAfterSending: throw UpstreamError(.died, "upstream exited with 18", requestMayHaveBeenSent: true)
        case .tooLarge: return .tooLarge(bytes: 20 << 20)
        }
    }

    var paymentRequired: JSONValue {
        let offer = WalletFixture.offerDocument([WalletFixture.entry(amount: price)])
        switch convention {
        case .spec: return ["isError": true, "structuredContent": offer, "content": [["type": "text", "text": .string(offer.encoded())]]]
        case .text: return ["isError": true, "content": [["type": "text", "text": .string(offer.encoded())]]]
        case .cloudflare: return ["isError": true, "_meta": ["x402/error": offer], "content": [["type": "text", "text": .string(offer.encoded())]]]
        }
    }

    var payments: [JSONValue] { lock.withLock { metas.compactMap { $0?[MCPPaymentBinding.paymentKey] } } }
}

@Suite struct MCPToolPaymentChannelTests {
    static let resource = PaymentResource(method: "CALL", url: "mcp://weather/get_weather", host: HostName("mcp:weather"))

    struct Rig {
        let upstream: FakeToolUpstream
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10"}"#) throws -> Rig {
        let dir = try ScratchDirectory("purse-mcpch")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        var config = try WalletFixture.config(policy)
        config.payment.maxPaidAttempts = 3
        let http = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "no HTTP here", requestMayHaveBeenSent: false) }
        let driver = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                                   config: config, sessionID: session.id)
        return Rig(upstream: FakeToolUpstream(), ledger: ledger, driver: driver, dir: dir)
    }

    func call(_ r: Rig, tool: String = "get_weather") async -> ToolCallResult {
        await r.driver.callTool(MCPToolPaymentChannel(tool: tool, arguments: ["city": "Paris"], resource: Self.resource, sender: r.upstream),
                                maxPrice: nil, approver: NoApprover())
    }

    @Test(arguments: MCPPaymentConvention.allCases)
    func eachConventionIsPaidOnceWithThePaymentInItsShape(convention: MCPPaymentConvention) async throws {
        let r = try rig()
        r.upstream.convention = convention
        let result = await call(r)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(result.outcome.signatures == 1)
        let sent = r.upstream.payments
        #expect(sent.count == 1)
        switch convention {
        case .spec, .text: #expect(sent[0].objectValue != nil && sent[0]["x402Version"] == 2)
        case .cloudflare:
            let b64 = try #require(sent[0].stringValue)
            #expect(try JSONParser().parse(try Base64.decode(b64))["x402Version"] == 2)
        }
        // The arguments go unchanged on both sends.
        #expect(r.upstream.metas.count == 2)
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        #expect(row.status == .settled && row.host == HostName("mcp:weather") && row.txHash == FakeToolUpstream.tx)
        #expect(row.url == "mcp://weather/get_weather" && row.method == "CALL")
        let meta = try #require(result.mcpResult()["_meta"]?[ToolCallResult.paymentMetaKey])
        #expect(meta == ["amount": "0.01", "symbol": "USDC", "network": "eip155:84532", "payTo": .string(WalletFixture.sellerAddress.checksummed),
                         "transaction": .string(FakeToolUpstream.tx), "status": "settled"])
        #expect(result.mcpResult()["structuredContent"] == ["sky": "sunny"] && !result.isError)
    }

    @Test func aFreeToolCostsNothingAndItsResultIsPassedThrough() async throws {
        let r = try rig()
        let result = await call(r, tool: "ping")
        #expect(result.outcomeName == "not_required" && result.paymentID == nil && result.paymentMeta == nil)
        #expect(result.mcpResult() == ["content": [["type": "text", "text": "pong"]]])
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
    }

    @Test func overTheCapIsRefusedBeforeAnythingIsSigned() async throws {
        let r = try rig()
        r.upstream.price = "5000000"
        let result = await call(r)
        #expect(result.error?.code == "policy.no_acceptable_option" && result.isError)
        #expect(r.upstream.payments.isEmpty && result.outcome.signatures == 0)
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
        #expect(result.mcpResult()["isError"] == true && result.mcpResult()["_meta"] == nil)
    }

    @Test func aHostDeniedAsMcpNameIsRefused() async throws {
        let r = try rig(#"{"hosts":{"deny":["mcp:weather"]}}"#)
        let result = await call(r)
        #expect(result.error?.code == "policy.host_denied" && r.upstream.payments.isEmpty)
    }

    @Test func paymentRequiredAgainAfterPayingIsARefusalNeverASecondPayment() async throws {
        let r = try rig()
        r.upstream.paidAnswers = [.askAgain]
        let result = await call(r)
        guard case .paymentFailed = result.outcome.kind else { Issue.record("expected paymentFailed, got \(result.outcome.kind)"); return }
        #expect(result.outcome.signatures == 1 && r.upstream.payments.count == 1)
        #expect(result.paymentMeta?["status"] == "failed")
    }

    @Test func anUpstreamThatDiesAfterThePaymentLeftIsResentTheSameBytesAndEndsUnknown() async throws {
        let r = try rig()
        r.upstream.convention = .cloudflare
        r.upstream.paidAnswers = [.dieAfterSending, .dieAfterSending, .dieAfterSending]
        let result = await call(r)
        guard case .unknown = result.outcome.kind else { Issue.record("expected unknown, got \(result.outcome.kind)"); return }
        #expect(result.outcome.signatures == 1)
        #expect(r.upstream.payments.count == 3 && Set(r.upstream.payments.map { $0.encoded() }).count == 1)
        let id = try #require(result.paymentID)
        #expect(try r.ledger.payment(id: id)?.status == .unknown)
        #expect(result.paymentMeta?["status"] == "unknown" && result.isError)
    }

    @Test func anOversizedPaidAnswerIsUnknownAndNotResent() async throws {
        let r = try rig()
        r.upstream.paidAnswers = [.tooLarge]
        let result = await call(r)
        guard case .unknown = result.outcome.kind else { Issue.record("expected unknown, got \(result.outcome.kind)"); return }
        #expect(r.upstream.payments.count == 1)
    }

    @Test func contentWithoutAReceiptIsDeliveredButUnknownForReconcile() async throws {
        let r = try rig()
        r.upstream.paidAnswers = [.deliverWithoutReceipt]
        let result = await call(r)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        let id = try #require(result.paymentID)
        #expect(try r.ledger.payment(id: id)?.status == .unknown)
        #expect(result.paymentMeta?["status"] == "unknown" && !result.isError)
    }

    @Test func eightParallelCallsUnderABudgetForFivePayExactlyFive() async throws {
        let r = try rig(#"{"sessionBudget":"0.05"}"#)
        let outcomes = await withTaskGroup(of: String.self) { g in
            for _ in 0..<8 { g.addTask { await self.call(r).outcomeName } }
            var all = [String]()
            for await o in g { all.append(o) }
            return all
        }
        #expect(outcomes.filter { $0 == "paid" }.count == 5 && outcomes.filter { $0 == "refused" }.count == 3)
        #expect(r.upstream.payments.count == 5)
    }

    @Test func theQuoteIsTheSameDecisionAndPaysNothing() async throws {
        let r = try rig()
        r.upstream.convention = .text
        let q = await r.driver.quoteTool(MCPToolPaymentChannel(tool: "get_weather", arguments: [:], resource: Self.resource, sender: r.upstream), maxPrice: nil)
        #expect(q.json()["wouldPay"] == true && q.json()["convention"] == "text" && q.json()["price"]?["amount"] == "0.01")
        #expect(r.upstream.payments.isEmpty && r.upstream.metas.count == 1)
        let capped = await r.driver.quoteTool(MCPToolPaymentChannel(tool: "get_weather", arguments: [:], resource: Self.resource, sender: r.upstream),
                                              maxPrice: Micros(5_000))
        #expect(capped.refusal?.code == "policy.no_acceptable_option")
    }

    @Test func paidAnswersAreClassified() {
        let tx = "0x" + String(repeating: "ab", count: 32)
        #expect(MCPToolPaymentChannel.paidAnswer(.result(["content": [], "_meta": ["x402/payment-response": ["success": true, "transaction": .string(tx)]]]))
            == .delivered(receipt: try! SettlementResponse.decode(document: ["success": true, "transaction": .string(tx)], field: "_meta.x402/payment-response"),
                          receiptProblem: nil))
        guard case .delivered(nil, _?) = MCPToolPaymentChannel.paidAnswer(.result(["content": [], "_meta": ["x402/payment-response": 402]])) else {
            Issue.record("a malformed receipt is a problem, not a failure"); return
        }
        guard case .pending = MCPToolPaymentChannel.paidAnswer(.result(["content": [], "_meta": ["x402/payment-response": ["success": false, "errorReason": "settlement_pending", "transaction": .string(tx)]]])) else {
            Issue.record("settlement_pending is pending"); return
        }
        guard case let .rejected(_, reason) = MCPToolPaymentChannel.paidAnswer(.error(code: 402, message: "pay", data: WalletFixture.offerDocument([WalletFixture.entry()]))) else {
            Issue.record("a JSON-RPC 402 after paying is a refusal"); return
        }
        #expect(reason == "Payment required")
        guard case .unreadable = MCPToolPaymentChannel.paidAnswer(.error(code: -32603, message: "internal", data: nil)) else {
            Issue.record("another JSON-RPC error after paying is unreadable"); return
        }
        #expect(MCPToolPaymentChannel(tool: "t", arguments: [:], resource: Self.resource, sender: FakeToolUpstream()).unpaidAnswer(.tooLarge(bytes: 9)) == .notPaymentRequired)
    }
}
