import X402

/// A catalog entry seen as a payment channel that never sends anything: its unpaid answer is
/// the entry's `accepts`, as if the seller had just answered 402 with them.
///
/// This is how `discover` judges a result with the very decision `quote` and `paid_fetch` make
/// (`PaymentDriver.dryRun`: host lists, networks, assets, the per-request cap, the budgets
/// left) instead of a copy of the rules. The resource host is the one libcurl would connect to
/// for the entry's URL (`CatalogItem.host`), so a per-host rule applies to the catalog entry as
/// it will to the paid request. A dry run stops before the reservation; should anything ever
/// try to pay through this channel, it refuses without sending.
public struct CatalogPaymentChannel: PaymentChannel {
    /// The entry judged.
    public let item: CatalogItem
    public let resource: PaymentResource

    /// Creates the channel for one entry: `GET` for an HTTP endpoint, `CALL` for an MCP tool.
    public init(item: CatalogItem) {
        self.item = item
        self.resource = PaymentResource(method: item.kind == .mcp ? "CALL" : "GET", url: item.resource, host: item.host)
    }

    public func preflight() -> FlowRefusal? { nil }

    /// The entry's price list, as the seller would have answered.
    public func sendUnpaid() async -> ChannelAnswer<PaymentRequired> { .answered(item.offer) }

    /// Never sends: a catalog entry is priced here and paid at its resource (`paid_fetch`).
    public func sendPaid(_ payload: PaymentPayload) async -> ChannelAnswer<PaymentRequired> {
        .failed(Self.notPayable, mayHaveBeenSent: false)
    }

    public func unpaidAnswer(_ offer: PaymentRequired) -> UnpaidAnswer { .offer(offer) }

    public func paidAnswer(_ offer: PaymentRequired) -> PaidAnswer { .rejected(receipt: nil, reason: Self.notPayable.message) }

    public func status(of offer: PaymentRequired) -> Int? { nil }

    static let notPayable = FlowRefusal(
        code: "discovery.catalog_only",
        message: "a catalog entry is only priced, never paid; pay its resource with paid_fetch",
        isTransportFailure: true)
}
