import Foundation
import PurseCore
import X402

/// What the agent or the human is looking for, checked once for both faces (`purse discover`
/// and the `discover` tool): words, optional filters, how many results, and a price cap.
public struct DiscoveryQuery: Sendable, Equatable {
    /// The most results one search returns.
    public static let maxLimit = 100
    /// Results when no limit is given.
    public static let defaultLimit = 20
    /// The longest query accepted, in characters.
    public static let maxQueryLength = 200

    /// The query text as sent to `/discovery/search` (trimmed).
    public let text: String
    /// Its words, lower-cased: in the `/discovery/resources` fallback every word must appear in
    /// an item's URL, description, service name, tags or tool name.
    public let words: [String]
    /// Only HTTP endpoints or only MCP tools, when given.
    public let kind: CatalogItem.Kind?
    /// Only items with an option on this network, when given.
    public let network: Network?
    /// The most results returned.
    public let limit: Int
    /// The caller's price cap (`max_price`): it can only lower the policy's per-request cap.
    public let maxPrice: Micros?

    /// Parses the inputs the two faces share.
    ///
    /// - Parameters:
    ///   - query: the search text (1–200 characters after trimming).
    ///   - maxPrice: decimal text in whole tokens (`MaxPrice`), or nil.
    ///   - network: a CAIP-2 id or v1 network name, or nil.
    ///   - type: `http` or `mcp`, or nil.
    ///   - limit: 1…100, or nil for 20.
    ///   - fieldPrefix: how the face names its inputs (`--` for the CLI, none for the tool).
    /// - Throws: `PurseError` with an `input.*` code naming the input.
    public static func parse(query: String, maxPrice: String? = nil, network: String? = nil, type: String? = nil,
                             limit: Int? = nil, fieldPrefix: String = "") throws(PurseError) -> DiscoveryQuery {
        let name = { (n: String) in fieldPrefix.isEmpty ? n.replacingOccurrences(of: "-", with: "_") : fieldPrefix + n }
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maxQueryLength, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw PurseError("input.bad_query", "the query must be 1 to \(maxQueryLength) characters of text on one line")
        }
        let cap = try MaxPrice.parse(maxPrice, field: name("max-price"))
        var net: Network?
        if let network {
            guard let n = Network.parse(network) else {
                throw PurseError("input.bad_network", "\(name("network")) must be a CAIP-2 network id such as eip155:84532")
            }
            net = n
        }
        var kind: CatalogItem.Kind?
        if let type {
            guard let k = CatalogItem.Kind(rawValue: type) else { throw PurseError("input.bad_type", "\(name("type")) must be http or mcp") }
            kind = k
        }
        let n = limit ?? defaultLimit
        guard (1...maxLimit).contains(n) else { throw PurseError("input.bad_limit", "\(name("limit")) must be between 1 and \(maxLimit)") }
        return DiscoveryQuery(text: text, kind: kind, network: net, limit: n, maxPrice: cap)
    }

    /// Creates a query from checked values.
    public init(text: String, kind: CatalogItem.Kind? = nil, network: Network? = nil, limit: Int = DiscoveryQuery.defaultLimit, maxPrice: Micros? = nil) {
        self.text = text
        self.words = text.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
        self.kind = kind
        self.network = network
        self.limit = limit
        self.maxPrice = maxPrice
    }

    /// Whether every word of the query appears in the item's text (the fallback's local search).
    public func matchesWords(_ item: CatalogItem) -> Bool {
        let haystack = item.searchText
        return words.allSatisfy { haystack.contains($0) }
    }

    /// Whether the item passes the type and network filters. Catalogs are asked to filter too,
    /// but a catalog may ignore the parameters, so Purse checks again.
    public func matchesFilters(_ item: CatalogItem) -> Bool {
        if let kind, item.kind != kind { return false }
        if let network, !item.offer.accepts.contains(where: { $0.network == network }) { return false }
        return true
    }
}
