import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet
@testable import X402

/// A signer that counts: discovery must never ask for a signature.
final class CountingSigner: PaymentSigner, @unchecked Sendable {
    let inner: KeySigner
    private let lock = NSLock()
    private var n = 0
    init(_ inner: KeySigner) { self.inner = inner }
    var address: Address { inner.address }
    var solanaAddress: SolanaAddress? { inner.solanaAddress }
    var count: Int { lock.withLock { n } }
    func sign(_ plan: PaymentPlan) throws(PurseError) -> SchemePayload {
        lock.withLock { n += 1 }
        return try inner.sign(plan)
    }
}

@Suite("discover: every result judged by the quote decision, nothing reserved or signed")
struct DiscoveryTests {
    static let catalogBase = "http://catalog.test"
    static let weather = CatalogFixture.item("http://seller.test/weather")
    static let expensive = CatalogFixture.item("http://seller.test/expensive", accepts: [WalletFixture.entry(amount: "200000000")],
                                               description: "Premium data costing 200 USDC", serviceName: "Vault", tags: ["weather"])
    static let mainnet = CatalogFixture.item("http://seller.test/weather-mainnet",
                                             accepts: [WalletFixture.entry(network: "eip155:8453", asset: CatalogFixture.mainnetUSDC, extra: ["name": "USD Coin", "version": "2"])])
    static let unknownToken = CatalogFixture.item("http://other.test/weather", accepts: [WalletFixture.entry(asset: "0x0000000000000000000000000000000000000bad")])
    static let tool = CatalogFixture.item("http://tools.test/mcp", type: "mcp", accepts: [WalletFixture.entry(amount: "20000")], tool: "get_forecast")
    /// Two options: the mainnet one is cheaper, but only the testnet one may be paid.
    static let twoOptions = CatalogFixture.item("http://seller.test/multi", accepts: [
        WalletFixture.entry(amount: "5000", network: "eip155:8453", asset: CatalogFixture.mainnetUSDC, extra: ["name": "USD Coin", "version": "2"]),
        WalletFixture.entry(amount: "30000"),
    ])

    struct Rig {
        let discovery: Discovery
        let driver: PaymentDriver
        let ledger: SQLiteLedger
        let signer: CountingSigner
        let sellerRequests: InMemoryHTTPClient
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10"}"#, items: [JSONValue]? = nil) throws -> Rig {
        let dir = try ScratchDirectory("purse-disc")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let signer = CountingSigner(KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)))
        var config = try WalletFixture.config(policy)
        config.discovery = CatalogFixture.config(endpoints: [Self.catalogBase])
        // The driver's own client: a seller that really takes payments. Discovery must never call it.
        let fake = FakeSeller()
        let seller = InMemoryHTTPClient { r throws(HTTPError) in
            // The live 402 says what the catalog entry says (no `error` text, which a catalog has not).
            guard r.headers["PAYMENT-SIGNATURE"] == nil else { return try await fake.handle(r) }
            let offer: JSONValue = ["x402Version": 2, "resource": ["url": "http://seller.test/weather"], "accepts": [WalletFixture.entry()]]
            return WalletFixture.response(402, headers: [("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes()))], body: "{}")
        }
        let driver = PaymentDriver(http: seller, ledger: ledger, signer: signer, config: config, sessionID: session.id)
        let answer = CatalogFixture.searchAnswer(items ?? [Self.weather, Self.expensive, Self.mainnet, Self.unknownToken, Self.tool, Self.twoOptions])
        let catalogHTTP = InMemoryHTTPClient { _ throws(HTTPError) in CatalogFixture.ok(answer) }
        return Rig(discovery: Discovery(http: catalogHTTP, config: config, driver: driver), driver: driver, ledger: ledger,
                   signer: signer, sellerRequests: seller, dir: dir)
    }

    func expectNothingSpent(_ r: Rig) throws {
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty, "discovery wrote a payment row")
        #expect(r.signer.count == 0, "discovery signed")
        #expect(r.sellerRequests.requests.isEmpty, "discovery sent a request to a seller")
    }

    @Test func verdictsFollowThePolicy() async throws {
        let r = try rig()
        let result = try await r.discovery.search(DiscoveryQuery(text: "weather"))
        let by = Dictionary(uniqueKeysWithValues: result.results.map { ($0.item.resource + ($0.item.toolName ?? ""), $0) })
        let weather = try #require(by["http://seller.test/weather"])
        #expect(weather.payable && weather.reason == nil && weather.price == "0.01" && weather.symbol == "USDC" && weather.network == "eip155:84532")
        let expensive = try #require(by["http://seller.test/expensive"])
        #expect(!expensive.payable && expensive.reasonCode == "policy.no_acceptable_option" && expensive.price == "200.00")
        #expect(expensive.reason?.contains("exceeds the per-request cap of 0.10 USDC") == true)
        #expect(expensive.briefReason == "price 200.00 USDC exceeds the per-request cap of 0.10 USDC")
        let mainnet = try #require(by["http://seller.test/weather-mainnet"])
        #expect(!mainnet.payable && mainnet.price == "0.01" && mainnet.symbol == "USDC" && mainnet.network == "eip155:8453")
        #expect(mainnet.reason?.contains("network eip155:8453 (Base) is not allowed by the policy") == true)
        let unknown = try #require(by["http://other.test/weather"])
        #expect(!unknown.payable && unknown.price == nil && unknown.symbol == nil && unknown.network == "eip155:84532")
        #expect(unknown.reason?.contains("is not a known or allowed token") == true)
        let tool = try #require(by["http://tools.test/mcpget_forecast"])
        #expect(tool.payable && tool.price == "0.02" && tool.item.kind == .mcp)
        // The wallet's choice, not the cheapest option: the testnet one.
        let two = try #require(by["http://seller.test/multi"])
        #expect(two.payable && two.price == "0.03" && two.network == "eip155:84532")
        try expectNothingSpent(r)
    }

    @Test func maxPriceOnlyLowersTheCap() async throws {
        let r = try rig()
        let low = try await r.discovery.search(DiscoveryQuery(text: "weather", maxPrice: Micros(5_000)))
        #expect(low.results.first { $0.item.resource == "http://seller.test/weather" }?.payable == false)
        let high = try await r.discovery.search(DiscoveryQuery(text: "weather", maxPrice: Micros(500_000_000)))
        #expect(high.results.first { $0.item.resource == "http://seller.test/expensive" }?.payable == false)
        try expectNothingSpent(r)
    }

    @Test func hostRulesApplyToTheHostLibcurlWouldConnectTo() async throws {
        let r = try rig(#"{"maxPerRequest":"0.10","hosts":{"deny":["seller.test"]}}"#)
        let result = try await r.discovery.search(DiscoveryQuery(text: "weather"))
        let weather = try #require(result.results.first { $0.item.resource == "http://seller.test/weather" })
        #expect(!weather.payable && weather.reasonCode == "policy.host_denied" && weather.price == "0.01")
        #expect(result.results.first { $0.item.resource == "http://tools.test/mcp" }?.payable == true)
    }

    @Test func budgetsLeftDecideToo() async throws {
        let r = try rig(#"{"maxPerRequest":"0.10","sessionBudget":"0.015"}"#)
        let before = try await r.discovery.search(DiscoveryQuery(text: "weather"))
        #expect(before.results.first { $0.item.resource == "http://seller.test/weather" }?.payable == true)
        // Spend 0.01 for real through the same driver; then only 0.005 is left.
        let paid = await r.driver.fetch(WalletFixture.request)
        guard case .paid = paid.outcome.kind else { Issue.record("expected paid, got \(paid.outcome.kind)"); return }
        let after = try await r.discovery.search(DiscoveryQuery(text: "weather"))
        let weather = try #require(after.results.first { $0.item.resource == "http://seller.test/weather" })
        #expect(!weather.payable && weather.reasonCode == "budget.session_exceeded" && weather.price == "0.01")
    }

    /// The verdict is the `quote` decision: the same offer, live or from a catalog, gets the same words.
    @Test(arguments: [#"{"maxPerRequest":"0.10"}"#, #"{"maxPerRequest":"0.005"}"#, #"{"allowNetworks":["eip155:8453"]}"#,
                      #"{"hosts":{"allow":["other.test"]}}"#])
    func theReasonIsQuotesRefusal(policy: String) async throws {
        let r = try rig(policy, items: [Self.weather])
        let found = try #require(try await r.discovery.search(DiscoveryQuery(text: "weather")).results.first)
        let quote = await r.driver.quote(WalletFixture.request)
        #expect(found.payable == (quote.refusal == nil))
        #expect(found.reasonCode == quote.refusal?.code)
        #expect(found.reason == quote.refusal.flatMap { CatalogText.clean($0.message, limit: 2_000) })
    }

    /// A price the policy does not allow is still shown when the asset is known, matched as the
    /// selector matches offers: a Solana mint exactly as written.
    @Test func aKnownSolanaMintPricesAnOfferThePolicyRefuses() throws {
        let mint = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
        func offer(_ asset: String) throws -> PaymentRequired {
            let doc: JSONValue = ["x402Version": 2, "resource": ["url": "https://api.example.com/w"], "accepts": [[
                "scheme": "exact", "network": .string(Network.solanaDevnet), "asset": .string(asset), "amount": "25000",
                "payTo": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", "maxTimeoutSeconds": 60, "extra": ["feePayer": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"],
            ]]]
            return try PaymentRequiredParser.parse(header: { _ in nil }, body: doc.encodedBytes())
        }
        let known = AssetInfo.builtInUSDC
        let priced = Discovery.price(nil, offer: try offer(mint), known: known)
        #expect(priced.price == "0.025" && priced.symbol == "USDC" && priced.network == Network.solanaDevnet)
        let unknown = Discovery.price(nil, offer: try offer(mint.lowercased()), known: known)
        #expect(unknown.price == nil && unknown.symbol == nil)
    }

    @Test func anEmptyEndpointListTurnsDiscoveryOff() async throws {
        let r = try rig()
        var config = try WalletFixture.config()
        config.discovery.endpoints = []
        let off = Discovery(http: InMemoryHTTPClient { _ throws(HTTPError) in Issue.record("no request expected"); return CatalogFixture.notFound },
                            config: config, driver: r.driver)
        await #expect(throws: CatalogError(.disabled, "discovery is off: discovery.endpoints in the config is empty (list Bazaar catalog base URLs there to turn it on)")) {
            try await off.search(DiscoveryQuery(text: "weather"))
        }
    }

    @Test func theJSONHasExactlyTheDocumentedKeys() async throws {
        let r = try rig()
        let result = try await r.discovery.search(DiscoveryQuery(text: "weather", limit: 2))
        let json = result.json()
        #expect(json.objectValue?.keys == ["results", "sources"])
        let first = try #require(json["results"]?.arrayValue?.first?.objectValue)
        #expect(first.keys == ["resource", "type", "description", "serviceName", "price", "symbol", "network", "payable", "reason", "toolName", "endpoint"])
        #expect(json["results"]?.arrayValue?.count == 2)
        #expect(json["sources"] == [["endpoint": .string(Self.catalogBase), "ok": true, "error": nil]])
        let table = result.table()
        #expect(table.contains("0.01 USDC  ✓"))
        #expect(table.contains("✗") && table.contains("↳ price 200.00 USDC exceeds the per-request cap of 0.10 USDC"))
    }

    @Test func queryInputsAreCheckedOnceForBothFaces() throws {
        let q = try DiscoveryQuery.parse(query: "  Weather  Forecast ", maxPrice: "0.05", network: "base-sepolia", type: "mcp", limit: 5)
        #expect(q.text == "Weather  Forecast" && q.words == ["weather", "forecast"])
        #expect(q.maxPrice == Micros(50_000) && q.network?.caip2 == "eip155:84532" && q.kind == .mcp && q.limit == 5)
        #expect(try DiscoveryQuery.parse(query: "x").limit == DiscoveryQuery.defaultLimit)
        for (args, code) in [(("", nil, nil, nil, nil), "input.bad_query"), (("a\u{1b}b", nil, nil, nil, nil), "input.bad_query"),
                             (("x", "-1", nil, nil, nil), "input.bad_max_price"), (("x", nil, "narnia", nil, nil), "input.bad_network"),
                             (("x", nil, nil, "ftp", nil), "input.bad_type"), (("x", nil, nil, nil, 0), "input.bad_limit"),
                             (("x", nil, nil, nil, 101), "input.bad_limit")] as [((String, String?, String?, String?, Int?), String)] {
            #expect(throws: PurseError.self) { try DiscoveryQuery.parse(query: args.0, maxPrice: args.1, network: args.2, type: args.3, limit: args.4) }
            do { _ = try DiscoveryQuery.parse(query: args.0, maxPrice: args.1, network: args.2, type: args.3, limit: args.4) } catch {
                #expect(error.code == code)
            }
        }
        do { _ = try DiscoveryQuery.parse(query: "x", type: "ftp", fieldPrefix: "--") } catch { #expect(error.message.hasPrefix("--type")) }
    }
}
