import HTTP
import PurseCore

/// The Bazaar catalogs `discover` searches: the edge that fetches them over the wallet's
/// `HTTPClient` (libcurl, with the human's body cap, timeouts and proxy).
///
/// Endpoints are asked in parallel, each within `discovery.timeoutMs` for all its pages. Each
/// is asked `/discovery/search` first; where that answers 404, `/discovery/resources` is listed
/// and filtered here by the query's words. Pages are followed only as far as needed for
/// `limit` results and never beyond a fixed number, so a catalog that ignores paging or loops
/// its cursor costs a bounded amount. A failing endpoint is reported in its `CatalogSource`
/// and the others are still used; results are merged in configuration order and de-duplicated.
public struct Catalog: Sendable {
    /// The most `/discovery/search` pages read per endpoint.
    public static let maxSearchPages = 5
    /// The most `/discovery/resources` pages read per endpoint in the fallback.
    public static let maxListPages = 10
    /// The page size asked of `/discovery/resources`.
    public static let listPageSize = 100

    let http: any HTTPClient
    let config: DiscoveryConfig
    let maxBodyBytes: Int

    /// Creates the catalog edge.
    ///
    /// - Parameters:
    ///   - http: the client (the wallet's: same caps, proxy and timeouts as for sellers).
    ///   - config: the endpoints and the per-endpoint timeout.
    ///   - maxBodyBytes: the client's body cap, named when an answer is cut.
    public init(http: any HTTPClient, config: DiscoveryConfig, maxBodyBytes: Int) {
        self.http = http
        self.config = config
        self.maxBodyBytes = maxBodyBytes
    }

    /// Searches every endpoint; the items are merged, de-duplicated and at most `query.limit`.
    public func search(_ query: DiscoveryQuery) async -> CatalogSearch {
        let endpoints = config.endpoints
        let timeoutMs = config.timeoutMs
        let sources = await withTaskGroup(of: (Int, CatalogSource).self) { group in
            for (i, endpoint) in endpoints.enumerated() {
                group.addTask {
                    let found = await Self.within(milliseconds: timeoutMs) { await self.searchOne(endpoint, query) }
                    var timedOut = CatalogSource(endpoint: endpoint)
                    timedOut.error = CatalogError(.timeout, "no complete answer within discovery.timeoutMs (\(timeoutMs) ms)")
                    return (i, found ?? timedOut)
                }
            }
            var out = [CatalogSource?](repeating: nil, count: endpoints.count)
            for await (i, s) in group { out[i] = s }
            return out.compactMap { $0 }
        }
        return CatalogSearch(items: Self.merge(sources, limit: query.limit), sources: sources)
    }

    /// The first `limit` distinct items, catalogs in configuration order.
    public static func merge(_ sources: [CatalogSource], limit: Int) -> [CatalogItem] {
        var seen = Set<CatalogItem.Key>()
        var out = [CatalogItem]()
        for source in sources {
            for item in source.items where seen.insert(item.key).inserted {
                out.append(item)
                if out.count >= limit { return out }
            }
        }
        return out
    }

    // MARK: - One endpoint

    /// `/discovery/search`, following the cursor; the `/discovery/resources` fallback on 404.
    func searchOne(_ endpoint: String, _ query: DiscoveryQuery) async -> CatalogSource {
        var source = CatalogSource(endpoint: endpoint)
        var seen = Set<CatalogItem.Key>()
        var cursor: String?
        var cursors = Set<String>()
        let pageLimit = min(query.limit, DiscoveryQuery.maxLimit)
        for page in 0..<Self.maxSearchPages {
            var params = filterParams(query)
            params.insert(("query", query.text), at: 0)
            params.append(("limit", String(pageLimit)))
            if let cursor { params.append(("cursor", cursor)) }
            // A search is the catalog's own ranking: keep its matches, only re-check the filters.
            let want = query.limit - source.items.count
            let fetched = await get(endpoint, "/discovery/search", params, .search, &source, want: want) {
                query.matchesFilters($0) && seen.insert($0.key).inserted
            }
            switch fetched {
            case .notFound where page == 0:
                source.usedFallback = true
                return await listOne(endpoint, query, source)
            case .notFound:
                source.error = CatalogError(.httpStatus, "/discovery/search answered HTTP 404 for a later page")
                return source
            case let .failed(e):
                source.error = e
                return source
            case let .page(p):
                source.items += p.items
                if source.items.count >= query.limit { return source }
                guard let next = p.cursor, cursors.insert(next).inserted, p.received > 0, p.received <= pageLimit else { return source }
                cursor = next
            }
        }
        return source
    }

    /// `/discovery/resources` page by page, keeping the items that contain every word.
    func listOne(_ endpoint: String, _ query: DiscoveryQuery, _ start: CatalogSource) async -> CatalogSource {
        var source = start
        var seen = Set<CatalogItem.Key>()
        var offset = 0
        for _ in 0..<Self.maxListPages {
            var params = filterParams(query)
            params.append(("limit", String(Self.listPageSize)))
            params.append(("offset", String(offset)))
            let want = query.limit - source.items.count
            let fetched = await get(endpoint, "/discovery/resources", params, .list, &source, want: want) {
                query.matchesFilters($0) && query.matchesWords($0) && seen.insert($0.key).inserted
            }
            switch fetched {
            case .notFound:
                source.error = CatalogError(.httpStatus, "/discovery/search and /discovery/resources both answered HTTP 404: not a Bazaar catalog")
                return source
            case let .failed(e):
                source.error = e
                return source
            case let .page(p):
                source.items += p.items
                if source.items.count >= query.limit { return source }
                offset += p.received
                // Stop at the end, and when the catalog ignores paging (it sent more than asked).
                if p.received == 0 || p.received > Self.listPageSize { return source }
                if let total = p.total, offset >= total { return source }
            }
        }
        return source
    }

    private func filterParams(_ query: DiscoveryQuery) -> [(String, String)] {
        var params = [(String, String)]()
        if let kind = query.kind { params.append(("type", kind.rawValue)) }
        if let network = query.network { params.append(("network", network.caip2)) }
        return params
    }

    private enum Fetched {
        case page(CatalogPage)
        case notFound
        case failed(CatalogError)
    }

    private func get(_ endpoint: String, _ path: String, _ params: [(String, String)], _ shape: CatalogPage.Shape,
                     _ source: inout CatalogSource, want: Int, accept: (CatalogItem) -> Bool) async -> Fetched {
        let url = endpoint + path + "?" + params.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.set("Accept", "application/json")
        source.requests += 1
        let response: HTTPResponse
        do { response = try await http.send(HTTPRequest(method: "GET", url: url, headers: headers)) } catch {
            return .failed(CatalogError(.transport, "\(path): \(error.message) [\(error.code)]"))
        }
        if response.status == 404 { return .notFound }
        guard response.status == 200 else { return .failed(CatalogError(.httpStatus, "\(path) answered HTTP \(response.status)")) }
        guard !response.truncated else {
            return .failed(CatalogError(.tooLarge, "\(path): the answer is larger than http.maxBodyBytes (\(maxBodyBytes) bytes); none of it was used"))
        }
        do {
            let page = try CatalogParser.parse(response.body, shape: shape, endpoint: endpoint, want: want, accept: accept)
            source.answered = true
            source.skip(page.skipped)
            return .page(page)
        } catch {
            return .failed(CatalogError(error.kind, field: error.field.map { "\(path) \($0)" }, error.field == nil ? "\(path): \(error.detail)" : error.detail))
        }
    }

    /// RFC 3986 query component encoding: everything but unreserved characters is escaped.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 0x0f, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Runs `work`, giving up after `milliseconds`: nil on time-out. The work is cancelled then
    /// (libcurl aborts a cancelled transfer within about a second).
    static func within<T: Sendable>(milliseconds: Int, _ work: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
