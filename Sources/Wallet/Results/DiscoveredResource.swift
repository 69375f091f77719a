/// One `discover` result: a catalog entry and the wallet's verdict on it.
///
/// The verdict is the dry run of the payment flow over the entry's price list
/// (`CatalogPaymentChannel`), the decision `quote` makes, so "payable" means `paid_fetch`
/// would pay it now, within the policy and the budgets left, if the seller asks what the
/// catalog says.
public struct DiscoveredResource: Sendable, Equatable {
    /// The entry.
    public let item: CatalogItem
    /// Whether the policy would pay it now.
    public let payable: Bool
    /// Why not (the refusal's message, on one line), nil when payable.
    public let reason: String?
    /// The refusal's stable code, nil when payable.
    public let reasonCode: String?
    /// A short form of `reason` for a table: the reasons of the priced option when no option
    /// was acceptable, else the refusal's message.
    public let briefReason: String?
    /// The price in whole units (`0.01`): the option the wallet would pay, or, when none is
    /// payable, the cheapest offered in a token Purse knows; nil when there is none.
    public let price: String?
    /// The token of `price`.
    public let symbol: String?
    /// The CAIP-2 network of `price` (or of the first option when no price is known).
    public let network: String?

    /// Creates a result.
    public init(item: CatalogItem, payable: Bool, reason: String?, reasonCode: String?, briefReason: String?, price: String?, symbol: String?, network: String?) {
        self.item = item
        self.payable = payable
        self.reason = reason
        self.reasonCode = reasonCode
        self.briefReason = briefReason
        self.price = price
        self.symbol = symbol
        self.network = network
    }
}
