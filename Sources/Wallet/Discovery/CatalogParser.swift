import HTTP
import PurseCore
import X402

/// Reads Bazaar catalog answers: pure, strict, and never failing the whole answer for one item.
///
/// The document's frame (`items` or `resources`, `pagination`) must have the documented shape,
/// or the answer is refused with a `CatalogError`. Each item is then checked on its own: a wrong
/// type, a missing field, a URL Purse would not fetch, or `accepts` with no readable option makes
/// that item skipped, counted and explained, and the others are still used. Payment options are
/// read by `PaymentRequiredParser`, the parser of live 402s, so an amount that is negative,
/// fractional, in exponent form or absurdly large is refused exactly as a seller's would be.
public enum CatalogParser {
    /// The most entries read from one answer; the rest are counted as skipped.
    public static let maxItemsPerAnswer = 10_000
    /// The longest resource URL accepted.
    public static let maxURLBytes = 2_048
    /// The deepest JSON nesting accepted (items carry input schemas, so deeper than a 402).
    public static let maxDepth = 48

    /// Parses one answer of `shape` from `endpoint`.
    ///
    /// Entries are checked in order until `want` of them are accepted; the rest are left unread
    /// (counted in `unread`), so a 10,000-item answer costs one JSON parse and as many item
    /// checks as the search needs.
    ///
    /// - Parameters:
    ///   - body: the whole response body (already capped by `http.maxBodyBytes`).
    ///   - shape: `search` (`resources`, cursor) or `list` (`items`, offset).
    ///   - endpoint: the catalog base URL, recorded on each item.
    ///   - want: stop after this many accepted items.
    ///   - accept: which valid items to keep (the caller's filters and de-duplication).
    /// - Throws: `CatalogError` when the answer as a whole is unusable.
    public static func parse(_ body: [UInt8], shape: CatalogPage.Shape, endpoint: String, want: Int = .max,
                             accept: (CatalogItem) -> Bool = { _ in true }) throws(CatalogError) -> CatalogPage {
        let doc: JSONValue
        do { doc = try JSONParser(maxDepth: maxDepth, maxBytes: max(body.count, 1)).parse(body) } catch {
            throw CatalogError(.badJSON, "the answer is not JSON: \(error.message)")
        }
        guard case let .object(root) = doc else {
            throw CatalogError(.badDocument, "the answer must be a JSON object, got \(doc.typeName)")
        }
        let key = shape == .search ? "resources" : "items"
        guard let listValue = root[key] else {
            throw CatalogError(.badDocument, field: key, "is required in a \(shape == .search ? "/discovery/search" : "/discovery/resources") answer")
        }
        guard case let .array(entries) = listValue else {
            throw CatalogError(.badDocument, field: key, "must be an array, got \(listValue.typeName)")
        }
        var cursor: String?
        var total: Int?
        if let p = root["pagination"], !p.isNull {
            guard case let .object(po) = p else { throw CatalogError(.badDocument, field: "pagination", "must be an object, got \(p.typeName)") }
            if let c = po["cursor"], !c.isNull {
                guard case let .string(s) = c, !s.isEmpty, s.utf8.count <= 4_096 else {
                    throw CatalogError(.badDocument, field: "pagination.cursor", "must be a non-empty string of at most 4096 bytes")
                }
                cursor = s
            }
            if let t = po["total"], !t.isNull {
                guard let n = t.int64Value, n >= 0, let i = Int(exactly: n) else {
                    throw CatalogError(.badDocument, field: "pagination.total", "must be a non-negative integer")
                }
                total = i
            }
        }
        var items = [CatalogItem]()
        var skipped = [CatalogError]()
        var unread = 0
        for (i, entry) in entries.enumerated() {
            if items.count >= want {
                unread = entries.count - i
                break
            }
            guard i < maxItemsPerAnswer else {
                skipped.append(CatalogError(.itemBadValue, field: "\(key)[\(i)…]",
                                            "\(entries.count - maxItemsPerAnswer) entries beyond the \(maxItemsPerAnswer) Purse reads from one answer"))
                break
            }
            do {
                let found = try item(entry, field: "\(key)[\(i)]", endpoint: endpoint)
                if accept(found) { items.append(found) }
            } catch { skipped.append(error) }
        }
        return CatalogPage(items: items, skipped: skipped, received: entries.count, unread: unread, cursor: cursor, total: total)
    }

    /// Checks one catalog entry.
    ///
    /// - Throws: `CatalogError` naming the field when the entry is unusable.
    public static func item(_ entry: JSONValue, field path: String, endpoint: String) throws(CatalogError) -> CatalogItem {
        guard case let .object(o) = entry else {
            throw CatalogError(.itemNotObject, field: path, "must be an object, got \(entry.typeName)")
        }
        // resource: an http(s) URL as libcurl parses it.
        guard let resourceValue = o["resource"] else { throw CatalogError(.itemMissingField, field: "\(path).resource", "is required") }
        guard case let .string(resource) = resourceValue else {
            throw CatalogError(.itemWrongType, field: "\(path).resource", "must be a string, got \(resourceValue.typeName)")
        }
        guard !resource.isEmpty, resource.utf8.count <= maxURLBytes, resource.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw CatalogError(.itemBadURL, field: "\(path).resource", "must be a URL of 1 to \(maxURLBytes) printable ASCII characters")
        }
        let url: HTTPURL
        do { url = try HTTPURL.parse(resource) } catch {
            throw CatalogError(.itemBadURL, field: "\(path).resource", "'\(clip(resource))' is not a URL Purse fetches: \(error.message)")
        }
        if isLinkLocal(url.host) {
            throw CatalogError(.itemBadURL, field: "\(path).resource",
                               "'\(clip(resource))' points at a link-local address (cloud metadata), never a paid service")
        }
        // type
        guard let typeValue = o["type"] else { throw CatalogError(.itemMissingField, field: "\(path).type", "is required") }
        guard case let .string(typeText) = typeValue else {
            throw CatalogError(.itemWrongType, field: "\(path).type", "must be a string, got \(typeValue.typeName)")
        }
        guard let kind = CatalogItem.Kind(rawValue: typeText) else {
            throw CatalogError(.itemBadValue, field: "\(path).type", "'\(clip(typeText))' is not \"http\" or \"mcp\"")
        }
        // x402Version
        guard let versionValue = o["x402Version"] else { throw CatalogError(.itemMissingField, field: "\(path).x402Version", "is required") }
        guard case .number = versionValue, let version = versionValue.int64Value else {
            throw CatalogError(.itemWrongType, field: "\(path).x402Version", "must be an integer, got \(versionValue.typeName)")
        }
        guard version == 1 || version == 2 else {
            throw CatalogError(.itemBadValue, field: "\(path).x402Version", "version \(version) is not supported (Purse speaks x402 v1 and v2)")
        }
        // Optional text and metadata: a wrong type is refused, as in a 402.
        let description = try optionalString(o, "description", path)
        let serviceName = try optionalString(o, "serviceName", path)
        _ = try optionalString(o, "mimeType", path)
        _ = try optionalString(o, "lastUpdated", path)
        _ = try optionalString(o, "iconUrl", path)
        var tags = [String]()
        if let t = o["tags"], !t.isNull {
            guard case let .array(list) = t else { throw CatalogError(.itemWrongType, field: "\(path).tags", "must be an array of strings, got \(t.typeName)") }
            for (i, tag) in list.enumerated() {
                guard case let .string(s) = tag else {
                    throw CatalogError(.itemWrongType, field: "\(path).tags[\(i)]", "must be a string, got \(tag.typeName)")
                }
                if tags.count < CatalogText.maxTags, let c = CatalogText.clean(s, limit: CatalogText.tagLimit) { tags.append(c) }
            }
        }
        var extensions: JSONObject?
        if let e = o["extensions"], !e.isNull {
            guard case let .object(eo) = e else { throw CatalogError(.itemWrongType, field: "\(path).extensions", "must be an object, got \(e.typeName)") }
            extensions = eo
        }
        let toolName = try toolName(kind: kind, extensions: extensions, path: path)
        // accepts, read as the offer of a 402 for this resource.
        guard let accepts = o["accepts"] else { throw CatalogError(.itemMissingField, field: "\(path).accepts", "is required") }
        guard case let .array(entries) = accepts else {
            throw CatalogError(.itemWrongType, field: "\(path).accepts", "must be an array, got \(accepts.typeName)")
        }
        var doc: JSONObject = ["x402Version": .integer(version), "accepts": .array(entries)]
        if version == 2 { doc["resource"] = ["url": .string(resource)] }
        let offer: PaymentRequired
        do { offer = try PaymentRequiredParser.parseDocument(.object(doc), source: .body, context: "\(path)") } catch {
            throw CatalogError(.itemNoOption, field: "\(path).accepts", error.message)
        }
        guard !offer.accepts.isEmpty else {
            let why = offer.problems.first.map { $0.error.message } ?? "no option"
            throw CatalogError(.itemNoOption, field: "\(path).accepts", "no readable payment option (\(why))")
        }
        return CatalogItem(
            resource: resource, host: url.host, kind: kind, toolName: toolName, offer: offer,
            description: description.flatMap { CatalogText.clean($0, limit: CatalogText.descriptionLimit) },
            serviceName: serviceName.flatMap { CatalogText.clean($0, limit: CatalogText.serviceNameLimit) },
            tags: tags, endpoint: endpoint)
    }

    /// An MCP item's tool: `extensions.bazaar.info.input.toolName` (the Bazaar keys MCP tools by
    /// server URL and tool name), a name MCP allows: 1–128 of `A-Z a-z 0-9 _ - . /`.
    static func toolName(kind: CatalogItem.Kind, extensions: JSONObject?, path: String) throws(CatalogError) -> String? {
        guard kind == .mcp else { return nil }
        let field = "\(path).extensions.bazaar.info.input.toolName"
        guard let v = extensions?["bazaar"]?["info"]?["input"]?["toolName"] else {
            throw CatalogError(.itemMissingField, field: field, "is required for an MCP tool")
        }
        guard case let .string(name) = v else { throw CatalogError(.itemWrongType, field: field, "must be a string, got \(v.typeName)") }
        guard (1...128).contains(name.utf8.count),
              name.utf8.allSatisfy(isToolNameByte)
        else { throw CatalogError(.itemBadValue, field: field, "'\(clip(name))' is not an MCP tool name (1–128 of A-Z a-z 0-9 _ - . /)") }
        return name
    }

    static func isToolNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"): true
        default: false
        }
    }

    static func optionalString(_ o: JSONObject, _ key: String, _ path: String) throws(CatalogError) -> String? {
        guard let v = o[key], !v.isNull else { return nil }
        guard case let .string(s) = v else { throw CatalogError(.itemWrongType, field: "\(path).\(key)", "must be a string, got \(v.typeName)") }
        return s
    }

    /// 169.254.0.0/16 and fe80::/10: where cloud metadata services answer.
    static func isLinkLocal(_ host: HostName) -> Bool {
        let h = host.name
        if h.hasPrefix("169.254.") || h.hasPrefix("[::ffff:169.254.") || h.hasPrefix("[::ffff:a9fe:") { return true }
        if h.hasPrefix("[fe8") || h.hasPrefix("[fe9") || h.hasPrefix("[fea") || h.hasPrefix("[feb") { return true }
        return false
    }

    static func clip(_ s: String) -> String { CatalogText.clean(s, limit: 60) ?? "" }
}
