/// What `discover` found: the results with their verdicts, and how each catalog answered.
/// Both faces show this one value (`purse discover --json` and the `discover` tool).
public struct DiscoveryResult: Sendable, Equatable {
    /// The results, merged across catalogs, at most the query's limit.
    public let results: [DiscoveredResource]
    /// One report per configured catalog, in configuration order.
    public let sources: [CatalogSource]

    /// Creates a result.
    public init(results: [DiscoveredResource], sources: [CatalogSource]) {
        self.results = results
        self.sources = sources
    }

    /// Whether no catalog answered at all (the CLI exits 1, the tool reports an error).
    public var allFailed: Bool { !sources.contains(where: \.ok) }
}
