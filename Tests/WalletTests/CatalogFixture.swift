import Foundation
import HTTP
import PurseCore
@testable import Wallet

/// Bazaar catalog documents and an in-memory catalog server for the discovery tests.
enum CatalogFixture {
    static let mainnetUSDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"

    /// A catalog item in the Bazaar shape (as the x402 SDK's bazaar client reads it).
    static func item(_ resource: String = "http://seller.test/weather", type: String = "http", accepts: [JSONValue] = [WalletFixture.entry()],
                     description: String? = "Local weather for one city", serviceName: String? = "Weather Co",
                     tags: [String] = ["weather", "forecast"], tool: String? = nil) -> JSONValue {
        var o: JSONObject = [
            "resource": .string(resource), "type": .string(type), "x402Version": 2, "accepts": .array(accepts),
            "lastUpdated": "2026-11-01T00:00:00Z", "mimeType": "application/json", "tags": .array(tags.map(JSONValue.string)),
        ]
        if let description { o["description"] = .string(description) }
        if let serviceName { o["serviceName"] = .string(serviceName) }
        if let tool {
            o["extensions"] = ["bazaar": ["info": ["input": ["type": "mcp", "toolName": .string(tool), "inputSchema": ["type": "object"]]]]]
        }
        return .object(o)
    }

    static func searchAnswer(_ items: [JSONValue], cursor: String? = nil) -> String {
        JSONValue.object(["x402Version": 2, "resources": .array(items), "partialResults": false,
                          "pagination": ["limit": .integer(items.count), "cursor": cursor.map(JSONValue.string) ?? .null]]).encoded()
    }

    static func listAnswer(_ items: [JSONValue], offset: Int = 0, total: Int? = nil) -> String {
        JSONValue.object(["x402Version": 2, "items": .array(items),
                          "pagination": ["limit": .integer(items.count), "offset": .integer(offset), "total": .integer(total ?? items.count)]]).encoded()
    }

    static func ok(_ body: String) -> HTTPResponse { HTTPResponse(status: 200, body: Array(body.utf8)) }
    static let notFound = HTTPResponse(status: 404, body: Array(#"{"error":"not found"}"#.utf8))

    /// The query parameters of a request URL, decoded.
    static func params(_ url: String) -> [String: String] {
        guard let q = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out = [String: String]()
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            out[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return out
    }

    /// The path of a request URL after `base`.
    static func path(_ url: String) -> String {
        String(url.split(separator: "?", maxSplits: 1)[0])
    }

    static func config(endpoints: [String], timeoutMs: Int = 2_000) -> DiscoveryConfig {
        var c = DiscoveryConfig()
        c.endpoints = endpoints
        c.timeoutMs = timeoutMs
        return c
    }
}
