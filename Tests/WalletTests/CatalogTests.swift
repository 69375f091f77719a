import Foundation
import HTTP
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

@Suite("Catalog: search, fallback, merging, failing and hostile endpoints")
struct CatalogTests {
    static let weather = CatalogFixture.item("http://seller.test/weather")
    static let forecast = CatalogFixture.item("http://seller.test/forecast", description: "Three-day forecast", serviceName: "Forecasts", tags: ["forecast"])
    static let news = CatalogFixture.item("http://news.test/today", description: "Paid news", serviceName: "News", tags: ["news"])
    static let tool = CatalogFixture.item("http://tools.test/mcp", type: "mcp", description: "Weather tool", tool: "get_weather")

    func catalog(_ endpoints: [String], timeoutMs: Int = 2_000, _ handler: @escaping @Sendable (HTTPRequest) async throws(HTTPError) -> HTTPResponse)
        -> (Catalog, InMemoryHTTPClient) {
        let http = InMemoryHTTPClient(handler: handler)
        return (Catalog(http: http, config: CatalogFixture.config(endpoints: endpoints, timeoutMs: timeoutMs), maxBodyBytes: 5 << 20), http)
    }

    @Test func searchSendsTheQueryAndFilters() async throws {
        let (c, http) = catalog(["http://a.test/x402"]) { _ throws(HTTPError) in CatalogFixture.ok(CatalogFixture.searchAnswer([Self.weather])) }
        let found = await c.search(DiscoveryQuery(text: "weather & wind", kind: .http, network: .parse("base-sepolia"), limit: 5))
        #expect(found.items.map(\.resource) == ["http://seller.test/weather"])
        #expect(found.sources.map(\.ok) == [true] && found.sources[0].note == nil)
        let url = try #require(http.requests.first?.url)
        #expect(CatalogFixture.path(url) == "http://a.test/x402/discovery/search")
        #expect(url.contains("query=weather%20%26%20wind"))
        #expect(CatalogFixture.params(url) == ["query": "weather & wind", "type": "http", "network": "eip155:84532", "limit": "5"])
        #expect(http.requests.first?.headers["Accept"] == "application/json")
    }

    @Test func a404OnSearchFallsBackToListingAndFilteringByWords() async throws {
        let (c, http) = catalog(["http://a.test"]) { r throws(HTTPError) in
            if r.url.contains("/discovery/search") { return CatalogFixture.notFound }
            return CatalogFixture.ok(CatalogFixture.listAnswer([Self.weather, Self.news, Self.forecast, Self.tool]))
        }
        let found = await c.search(DiscoveryQuery(text: "Weather"))
        #expect(found.items.map(\.resource) == ["http://seller.test/weather", "http://tools.test/mcp"])
        #expect(found.sources[0].usedFallback && found.sources[0].ok)
        #expect(http.requests.map { CatalogFixture.path($0.url) } == ["http://a.test/discovery/search", "http://a.test/discovery/resources"])
        #expect(CatalogFixture.params(http.requests[1].url) == ["limit": "100", "offset": "0"])
        // Every word must appear, in the URL, description, service name, tags or tool name.
        #expect(await c.search(DiscoveryQuery(text: "forecast three-day")).items.map(\.resource) == ["http://seller.test/forecast"])
        #expect(await c.search(DiscoveryQuery(text: "news paid")).items.map(\.resource) == ["http://news.test/today"])
        #expect(await c.search(DiscoveryQuery(text: "get_weather", kind: .mcp)).items.map(\.toolName) == ["get_weather"])
        #expect(await c.search(DiscoveryQuery(text: "weather zzz")).items.isEmpty)
    }

    @Test func theFallbackPagesByOffsetWithinBounds() async throws {
        // 250 items, 100 a page; only every 10th matches.
        let all = (0..<250).map { i in CatalogFixture.item("http://s.test/\(i)", description: i % 10 == 0 ? "match" : "other") }
        let (c, http) = catalog(["http://a.test"]) { r throws(HTTPError) in
            if r.url.contains("/discovery/search") { return CatalogFixture.notFound }
            let offset = Int(CatalogFixture.params(r.url)["offset"] ?? "0")!
            return CatalogFixture.ok(CatalogFixture.listAnswer(Array(all[min(offset, 250)..<min(offset + 100, 250)]), offset: offset, total: 250))
        }
        let found = await c.search(DiscoveryQuery(text: "match", limit: 100))
        #expect(found.items.count == 25)
        #expect(http.requests.count == 4)   // search, then offsets 0, 100, 200; total reached
        let few = await c.search(DiscoveryQuery(text: "match", limit: 3))
        #expect(few.items.map(\.resource) == ["http://s.test/0", "http://s.test/10", "http://s.test/20"])
    }

    @Test func aCatalogThatIgnoresPagingIsReadOnce() async throws {
        let many = (0..<300).map { CatalogFixture.item("http://s.test/weather?item=\($0)") }
        let (c, http) = catalog(["http://a.test"]) { r throws(HTTPError) in
            if r.url.contains("/discovery/search") { return CatalogFixture.notFound }
            return CatalogFixture.ok(CatalogFixture.listAnswer(many, total: 300))
        }
        let found = await c.search(DiscoveryQuery(text: "zzz", limit: 10))
        #expect(found.items.isEmpty && http.requests.count == 2)
    }

    @Test func searchFollowsTheCursorButNeverLoops() async throws {
        let (c, http) = catalog(["http://a.test"]) { r throws(HTTPError) in
            // Always the same page and the same cursor: a loop.
            CatalogFixture.ok(CatalogFixture.searchAnswer([CatalogFixture.item("http://s.test/\(CatalogFixture.params(r.url)["cursor"] ?? "first")")], cursor: "again"))
        }
        let found = await c.search(DiscoveryQuery(text: "weather", limit: 10))
        #expect(found.items.map(\.resource) == ["http://s.test/first", "http://s.test/again"])
        #expect(http.requests.count == 2)
    }

    @Test func resultsAreMergedDeduplicatedAndLimited() async throws {
        let (c, _) = catalog(["http://a.test", "http://b.test"]) { r throws(HTTPError) in
            if r.url.hasPrefix("http://a.test") { return CatalogFixture.ok(CatalogFixture.searchAnswer([Self.weather, Self.tool, Self.weather])) }
            let otherTool = CatalogFixture.item("http://tools.test/mcp", type: "mcp", tool: "get_forecast")
            return CatalogFixture.ok(CatalogFixture.searchAnswer([Self.weather, Self.forecast, otherTool, Self.tool]))
        }
        let found = await c.search(DiscoveryQuery(text: "weather"))
        #expect(found.items.map { "\($0.resource)#\($0.toolName ?? "")" } == [
            "http://seller.test/weather#", "http://tools.test/mcp#get_weather", "http://seller.test/forecast#", "http://tools.test/mcp#get_forecast",
        ])
        #expect(found.items.map(\.endpoint) == ["http://a.test", "http://a.test", "http://b.test", "http://b.test"])
        #expect(await c.search(DiscoveryQuery(text: "weather", limit: 3)).items.count == 3)
    }

    @Test func oneFailingEndpointIsReportedAndTheOthersStillAnswer() async throws {
        let (c, _) = catalog(["http://down.test", "http://a.test", "http://err.test", "http://big.test", "http://junk.test"]) { r throws(HTTPError) in
            if r.url.hasPrefix("http://down.test") { throw HTTPError(.connectFailed, "connection refused", requestMayHaveBeenSent: false) }
            if r.url.hasPrefix("http://err.test") { return HTTPResponse(status: 503) }
            if r.url.hasPrefix("http://big.test") { return HTTPResponse(status: 200, body: Array(#"{"resources":["#.utf8), truncated: true) }
            if r.url.hasPrefix("http://junk.test") { return CatalogFixture.ok("<html>") }
            return CatalogFixture.ok(CatalogFixture.searchAnswer([Self.weather]))
        }
        let found = await c.search(DiscoveryQuery(text: "weather"))
        #expect(found.items.count == 1)
        #expect(found.sources.map(\.endpoint) == ["http://down.test", "http://a.test", "http://err.test", "http://big.test", "http://junk.test"])
        #expect(found.sources.map(\.ok) == [false, true, false, false, false])
        #expect(found.sources.map { $0.error?.code } == ["discovery.transport", nil, "discovery.http_status", "discovery.too_large", "discovery.bad_json"])
        #expect(found.sources[0].note?.contains("could not connect") == true)
        #expect(found.sources[3].note?.contains("http.maxBodyBytes (5242880 bytes)") == true)
    }

    @Test func aHangingEndpointIsCutByTheTimeout() async throws {
        let (c, _) = catalog(["http://hang.test", "http://a.test"], timeoutMs: 300) { r throws(HTTPError) in
            if r.url.hasPrefix("http://hang.test") {
                try? await Task.sleep(for: .seconds(600))
                throw HTTPError(.cancelled, "", requestMayHaveBeenSent: true)
            }
            return CatalogFixture.ok(CatalogFixture.searchAnswer([Self.weather]))
        }
        let start = ContinuousClock.now
        let found = await c.search(DiscoveryQuery(text: "weather"))
        // Only tells "cut by the 300 ms timeout" from "waited for the 600 s hang" (a loaded 2-core
        // CI machine can take seconds to schedule the cancel).
        #expect(ContinuousClock.now - start < .seconds(120))
        #expect(found.sources.map(\.ok) == [false, true])
        #expect(found.sources[0].error?.code == "discovery.timeout")
        #expect(found.items.count == 1)
    }

    @Test func skippedItemsAreCountedUnderTheirSource() async throws {
        let (c, _) = catalog(["http://a.test"]) { _ throws(HTTPError) in
            CatalogFixture.ok(CatalogFixture.searchAnswer([42, CatalogFixture.item("file:///etc/passwd"), Self.weather, nil]))
        }
        let found = await c.search(DiscoveryQuery(text: "weather"))
        let source = try #require(found.sources.first)
        #expect(source.ok && source.error == nil && source.skippedCount == 3)
        #expect(source.note?.hasPrefix("skipped 3 unusable items (") == true, "\(source.note ?? "")")
        #expect(source.note?.contains("discovery.item_bad_url") == true)
    }

    @Test func percentEncodingLeavesOnlyUnreservedCharacters() {
        #expect(Catalog.percentEncoded("a b&c=d/é~") == "a%20b%26c%3Dd%2F%C3%A9~")
    }
}
