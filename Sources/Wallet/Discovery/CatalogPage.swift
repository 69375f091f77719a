/// One catalog answer, parsed: the usable items, the ones skipped and why, and where the next
/// page starts.
public struct CatalogPage: Sendable, Equatable {
    /// Which endpoint shape the answer has.
    public enum Shape: String, Sendable {
        /// `GET {base}/discovery/search` → `{"resources": [...], "pagination": {"limit", "cursor"}}`.
        case search
        /// `GET {base}/discovery/resources` → `{"items": [...], "pagination": {"limit", "offset", "total"}}`.
        case list
    }

    /// The items that passed every check and the caller's filter, in the catalog's order.
    public var items: [CatalogItem]
    /// The entries that did not, with the reason for each.
    public var skipped: [CatalogError]
    /// How many entries the answer's array held (read, skipped or unread).
    public var received: Int
    /// How many entries were not looked at because enough items were found first.
    public var unread: Int
    /// `search`: the cursor of the next page, when the catalog gave one.
    public var cursor: String?
    /// `list`: the catalog's total, when it gave one.
    public var total: Int?

    /// Creates a page.
    public init(items: [CatalogItem], skipped: [CatalogError], received: Int, unread: Int = 0, cursor: String? = nil, total: Int? = nil) {
        self.items = items
        self.skipped = skipped
        self.received = received
        self.unread = unread
        self.cursor = cursor
        self.total = total
    }
}
