import HTTP
import PurseCore
import X402

/// `discover`: searches the configured Bazaar catalogs and says, for each result, whether this
/// wallet would pay it now.
///
/// The catalogs are fetched by `Catalog` (the edge); each result is then judged by
/// `PaymentDriver.dryRun` over a `CatalogPaymentChannel`, the same flow and budget check as
/// `quote`, so discovery has no rules of its own. Nothing is reserved or signed: the dry run
/// stops before the ledger is written, and the channel never sends.
public struct Discovery: Sendable {
    let catalog: Catalog
    let driver: PaymentDriver
    let config: PurseConfig

    /// Creates the use case over the wallet's HTTP client and driver.
    public init(http: any HTTPClient, config: PurseConfig, driver: PaymentDriver) {
        self.catalog = Catalog(http: http, config: config.discovery, maxBodyBytes: config.http.maxBodyBytes)
        self.driver = driver
        self.config = config
    }

    /// Searches and judges.
    ///
    /// - Throws: `CatalogError` `discovery.disabled` when `discovery.endpoints` is empty.
    ///   Failing catalogs are not errors: they are reported in the result's `sources`.
    public func search(_ query: DiscoveryQuery) async throws(CatalogError) -> DiscoveryResult {
        guard config.discovery.isEnabled else {
            throw CatalogError(.disabled, "discovery is off: discovery.endpoints in the config is empty (list Bazaar catalog base URLs there to turn it on)")
        }
        let found = await catalog.search(query)
        var results = [DiscoveredResource]()
        for item in found.items { results.append(await judge(item, maxPrice: query.maxPrice)) }
        return DiscoveryResult(results: results, sources: found.sources)
    }

    /// The wallet's verdict on one entry: the dry run `quote` makes, over the entry's price list.
    public func judge(_ item: CatalogItem, maxPrice: Micros?) async -> DiscoveredResource {
        let run = await driver.dryRun(CatalogPaymentChannel(item: item), maxPrice: maxPrice)
        let priced = Self.price(run.selection, offer: item.offer, known: config.knownAssets)
        var brief: String?
        if let refusal = run.refusal {
            brief = CatalogText.clean(refusal.message, limit: 2_000)
            if let selection = run.selection, selection.chosen == nil {
                // No acceptable option: the reasons of the priced option (else the first) say it shortest.
                let verdict = selection.verdicts.first { $0.index == priced.index } ?? selection.verdicts.first
                if let verdict, !verdict.reasons.isEmpty {
                    brief = CatalogText.clean(verdict.reasons.map(\.message).joined(separator: "; "), limit: 2_000)
                }
            }
        }
        return DiscoveredResource(
            item: item, payable: run.refusal == nil, reason: run.refusal.flatMap { CatalogText.clean($0.message, limit: 2_000) },
            reasonCode: run.refusal?.code, briefReason: brief, price: priced.price, symbol: priced.symbol,
            network: priced.network)
    }

    /// The price to show: the option the flow chose; else the cheapest offered in a token Purse
    /// knows (allowed or not, compared in micro-units); else none, with the first option's network.
    static func price(_ selection: Selection?, offer: PaymentRequired, known: [AssetInfo])
        -> (price: String?, symbol: String?, network: String?, index: Int?) {
        if let c = selection?.chosen, let r = c.requirement, let a = c.asset {
            return (AmountText.decimal(atomic: r.amount.value, decimals: a.decimals), a.symbol, r.network?.caip2, c.index)
        }
        var best: (micros: Micros, requirement: PaymentRequirement, asset: AssetInfo)?
        for r in offer.accepts {
            guard let network = r.network else { continue }
            guard let a = known.first(where: { $0.network == network.caip2 && $0.hasAddress(r.asset) }),
                  let m = r.amount.micros(decimals: a.decimals) else { continue }
            if let b = best, b.micros <= m { continue }
            best = (m, r, a)
        }
        if let b = best {
            return (AmountText.decimal(atomic: b.requirement.amount.value, decimals: b.asset.decimals), b.asset.symbol,
                    b.requirement.network?.caip2, b.requirement.index)
        }
        let first = offer.accepts.first
        return (nil, nil, first.flatMap { $0.network?.caip2 ?? CatalogText.clean($0.networkText, limit: 64) }, nil)
    }
}
