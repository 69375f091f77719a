/// What one catalog endpoint gave a search: its usable items, what it skipped, and whether it
/// failed. Shown under `sources`, so one failing catalog never hides the others.
public struct CatalogSource: Sendable, Equatable {
    /// The catalog base URL, as configured.
    public let endpoint: String
    /// The matching items it gave, in its order (before merging with other catalogs).
    public var items: [CatalogItem] = []
    /// Why the endpoint failed, or the first later page that did; nil when all went well.
    public var error: CatalogError?
    /// Whether at least one answer was read (false: nothing came from this endpoint).
    public var answered = false
    /// Entries skipped as unusable, with the first few reasons.
    public var skippedCount = 0
    /// The first distinct reasons for skipping (at most `maxReasons`).
    public var skipReasons: [CatalogError] = []
    /// Whether `/discovery/search` answered 404 and `/discovery/resources` was searched locally.
    public var usedFallback = false
    /// How many HTTP requests were made.
    public var requests = 0

    static let maxReasons = 3

    /// Creates an empty report for `endpoint`.
    public init(endpoint: String) { self.endpoint = endpoint }

    /// Whether results came from this endpoint.
    public var ok: Bool { answered }

    /// What to tell the caller beside `ok`: the failure, then the skipped items (nil when there
    /// is nothing to say).
    public var note: String? {
        var parts = [String]()
        if let error { parts.append("\(error.message) [\(error.code)]") }
        if skippedCount > 0 {
            let why = skipReasons.map { "\($0.message) [\($0.code)]" }.joined(separator: "; ")
            parts.append("skipped \(skippedCount) unusable item\(skippedCount == 1 ? "" : "s") (\(why)\(skippedCount > skipReasons.count ? "; …" : ""))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Counts a page's skipped entries.
    mutating func skip(_ errors: [CatalogError]) {
        skippedCount += errors.count
        for e in errors where skipReasons.count < Self.maxReasons && !skipReasons.contains(where: { $0.code == e.code }) {
            skipReasons.append(e)
        }
    }
}
