import PurseCore
import X402

/// Everything about the one payment a call will make, fixed before it is reserved.
///
/// The authorization (nonce, validity window, every signed value), the payer and the price in
/// budget units are chosen here, once, as typed values: the ledger row stores exactly these
/// before anything is signed, and the signer signs exactly these, so that a crash at any later
/// step can be reconciled against the chain (`reference`). What differs between schemes and
/// chains lives in `authorization`; the rest is the same for every payment.
public struct PaymentPlan: Sendable, Equatable {
    /// The whole offer (for echoing `resource` and `extensions`).
    public let offer: PaymentRequired
    /// The chosen option.
    public let requirement: PaymentRequirement
    /// How it is paid (scheme and transfer method).
    public let method: PaymentMethod
    /// The token paid with.
    public let asset: AssetInfo
    /// The token's account.
    public let token: ChainAccount
    /// The payee.
    public let payTo: ChainAccount
    /// The price in budget units (the one conversion, rounded up); for `upto`, of the maximum.
    public let micros: Micros
    /// What is bought.
    public let resource: PaymentResource
    /// The authorization, every value fixed.
    public let authorization: AuthorizationPlan
    /// The payment identifier sent when the server advertises the extension (nil otherwise).
    public let paymentIdentifier: PaymentIdentifier?
    /// The seller's signed offer for this option, checked, when the 402 carried one.
    public let offerEvidence: OfferEvidence?

    /// Creates a plan.
    public init(offer: PaymentRequired, requirement: PaymentRequirement, method: PaymentMethod, asset: AssetInfo, token: ChainAccount,
                payTo: ChainAccount, micros: Micros, resource: PaymentResource, authorization: AuthorizationPlan,
                paymentIdentifier: PaymentIdentifier?, offerEvidence: OfferEvidence? = nil) {
        self.offer = offer
        self.requirement = requirement
        self.method = method
        self.asset = asset
        self.token = token
        self.payTo = payTo
        self.micros = micros
        self.resource = resource
        self.authorization = authorization
        self.paymentIdentifier = paymentIdentifier
        self.offerEvidence = offerEvidence
    }

    /// The paying account.
    public var payer: ChainAccount { authorization.payer }
    /// What identifies the authorization on chain (stored before signing).
    public var reference: AuthorizationReference { authorization.reference }
    /// The last Unix second the authorization can be used.
    public var validBefore: Int64 { authorization.validBefore }
    /// The host that asked for the payment.
    public var host: HostName { resource.host }
    /// The CAIP-2 network.
    public var network: String { requirement.network?.caip2 ?? requirement.networkText }
    /// The option's `extra.paymentFlow`: `authorization` (settle after the content is ready, the
    /// default), or `upfront` (settle first: a failed request still costs the price).
    public var paymentFlow: String { requirement.paymentFlow ?? "authorization" }
    /// The price as `0.01 USDC` (for `upto`, the maximum).
    public var priceText: String { AmountText.format(atomic: requirement.amount.value, decimals: asset.decimals, symbol: asset.symbol) }
}
