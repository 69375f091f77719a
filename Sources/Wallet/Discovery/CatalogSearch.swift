/// The merged answer of every catalog: distinct items (at most the query's limit) and one
/// report per endpoint, in configuration order.
public struct CatalogSearch: Sendable, Equatable {
    /// The items, merged in configuration order and de-duplicated by `CatalogItem.key`.
    public let items: [CatalogItem]
    /// One report per configured endpoint.
    public let sources: [CatalogSource]
}
