import X402

/// Everything about the one payment a call will make, fixed before it is reserved.
///
/// The nonce, the validity window and the payer are chosen here, once: the ledger row records
/// them before anything is signed, so that a crash at any later step can be reconciled against
/// the chain's `authorizationState(payer, nonce)`.
public struct PaymentPlan: Sendable, Equatable {
    /// The whole offer (for echoing `resource` and `extensions`).
    public let offer: PaymentRequired
    /// The chosen option.
    public let requirement: PaymentRequirement
    /// The token paid with.
    public let asset: AssetInfo
    /// The price in micro-units of the token.
    public let micros: Int64
    /// The host that asked for the payment.
    public let host: String
    /// The request URL.
    public let url: String
    /// The request method.
    public let method: String
    /// The paying address (checksummed).
    public let payer: String
    /// The EVM chain id.
    public let chainId: UInt64
    /// The EIP-3009 `validAfter` (Unix seconds).
    public let validAfter: Int64
    /// The EIP-3009 `validBefore` (Unix seconds).
    public let validBefore: Int64
    /// The 32-byte nonce as 0x-hex.
    public let nonce: String
    /// The payment identifier sent when the server advertises the extension.
    public let paymentIdentifier: String?

    /// The price as `0.01 USDC`.
    public var priceText: String { AmountText.format(atomic: requirement.amount.value, decimals: asset.decimals, symbol: asset.symbol) }
}
