import PurseCore
import X402

/// Everything about the one payment a call will make, fixed before it is reserved.
///
/// The nonce, the validity window, the payer and the price in budget units are chosen here,
/// once, as typed values: the ledger row stores exactly these before anything is signed, and
/// the signer signs exactly these, so that a crash at any later step can be reconciled against
/// the chain's `authorizationState(payer, nonce)`.
public struct PaymentPlan: Sendable, Equatable {
    /// The whole offer (for echoing `resource` and `extensions`).
    public let offer: PaymentRequired
    /// The chosen option.
    public let requirement: PaymentRequirement
    /// The token paid with.
    public let asset: AssetInfo
    /// The token contract.
    public let token: Address
    /// The payee.
    public let payTo: Address
    /// The price in budget units (the one conversion, rounded up).
    public let micros: Micros
    /// What is bought.
    public let resource: PaymentResource
    /// The paying address.
    public let payer: Address
    /// The EVM chain id.
    public let chainId: UInt64
    /// The authorization's `validAfter` (Unix seconds).
    public let validAfter: Int64
    /// The authorization's `validBefore` (Unix seconds).
    public let validBefore: Int64
    /// The authorization nonce.
    public let nonce: Nonce32
    /// The payment identifier sent when the server advertises the extension (nil otherwise).
    public let paymentIdentifier: PaymentIdentifier?
    /// The seller's signed offer for this option, checked, when the 402 carried one.
    public let offerEvidence: OfferEvidence?

    /// The host that asked for the payment.
    public var host: HostName { resource.host }
    /// The CAIP-2 network.
    public var network: String { requirement.network?.caip2 ?? requirement.networkText }
    /// The option's `extra.paymentFlow`: `authorization` (settle after the content is ready, the
    /// default), or `upfront` (settle first: a failed request still costs the price).
    public var paymentFlow: String { requirement.paymentFlow ?? "authorization" }
    /// The price as `0.01 USDC`.
    public var priceText: String { AmountText.format(atomic: requirement.amount.value, decimals: asset.decimals, symbol: asset.symbol) }
}
