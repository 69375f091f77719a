/// Where `discover` looks for paid services: x402 Bazaar catalogs served by facilitators.
///
/// Each endpoint is a base URL; Purse appends `/discovery/search` (and, where that answers 404,
/// `/discovery/resources`), as the x402 SDK's bazaar client does. The human chooses the
/// catalogs, because their text reaches the agent: an empty list turns discovery off.
public struct DiscoveryConfig: Sendable, Equatable {
    /// The public catalogs: Coinbase CDP's and PayAI's facilitators.
    public static let defaultEndpoints = [
        "https://api.cdp.coinbase.com/platform/v2/x402",
        "https://facilitator.payai.network",
    ]
    /// The most endpoints one search may ask (they are queried in parallel).
    public static let maxEndpoints = 16

    /// Catalog base URLs, without a trailing slash, in the order results are merged.
    public var endpoints: [String] = DiscoveryConfig.defaultEndpoints
    /// How long one endpoint may take, all its pages together, before it is reported as failed
    /// (default 10 s: an agent waiting on a search should not wait for a hung catalog).
    public var timeoutMs: Int = 10_000

    /// Creates the defaults.
    public init() {}

    /// Whether discovery is turned on (at least one endpoint).
    public var isEnabled: Bool { !endpoints.isEmpty }
}
