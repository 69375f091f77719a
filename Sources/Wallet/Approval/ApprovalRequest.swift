import X402

/// One payment the wallet wants a human to approve. All amounts are decimal strings.
public struct ApprovalRequest: Sendable, Equatable {
    /// The amount in whole units, such as `"0.05"`.
    public var amount: String
    /// The asset's symbol, such as `"USDC"`.
    public var symbol: String
    /// The asset's contract address.
    public var asset: String
    /// The CAIP-2 network, such as `"eip155:84532"`.
    public var network: String
    /// The payee address.
    public var payTo: String
    /// The host that asked for payment.
    public var host: String
    /// The full URL being fetched.
    public var url: String
    /// The budget left (in the same units as `amount`).
    public var budgetLeft: String
    /// The option's `extra.paymentFlow`: `authorization` (the default: pay only when the content
    /// is served) or `upfront` (settled first: a failed request still costs).
    public var paymentFlow: String
    /// Whether `amount` is a maximum the seller settles below or at (`upto`), not a price.
    public var isMaximum: Bool

    /// Creates a request.
    public init(
        amount: String, symbol: String, asset: String, network: String, payTo: String,
        host: String, url: String, budgetLeft: String, paymentFlow: String = "authorization", isMaximum: Bool = false
    ) {
        self.amount = amount
        self.symbol = symbol
        self.asset = asset
        self.network = network
        self.payTo = payTo
        self.host = host
        self.url = url
        self.budgetLeft = budgetLeft
        self.paymentFlow = paymentFlow
        self.isMaximum = isMaximum
    }

    /// The request for `plan`, with the budget left as text.
    public init(plan: PaymentPlan, budgetLeft: String) {
        self.init(
            amount: AmountText.decimal(atomic: plan.requirement.amount.value, decimals: plan.asset.decimals), symbol: plan.asset.symbol,
            asset: plan.token.text, network: plan.network, payTo: plan.payTo.text, host: plan.host.name,
            url: plan.resource.url, budgetLeft: budgetLeft, paymentFlow: plan.paymentFlow, isMaximum: plan.method.settlesActualAmount)
    }

    /// The payment flow for a human.
    public var paymentFlowText: String {
        switch paymentFlow {
        case "authorization": "authorization (charged only if the content is served)"
        case "upfront": "upfront (settled before the seller serves: a failed request still costs)"
        default: paymentFlow
        }
    }

    /// The text shown to the human (elicitation schemas cannot carry read-only fields, so every
    /// detail is in the message); the terminal shows the same lines.
    public var message: String {
        """
        Pay \(isMaximum ? "up to " : "")\(amount) \(symbol) on \(network) to \(payTo) for \(url)?
        Host: \(host)
        Asset: \(asset)
        Payment flow: \(paymentFlowText)
        Budget left: \(budgetLeft)
        """
    }
}
