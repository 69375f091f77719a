import PurseCore

/// A payment about to be reserved: everything known before the authorization is signed.
///
/// Every value comes typed from the payment plan (no re-parsing, no second conversion of the
/// price): the ledger stores exactly what will be signed, so that reconcile can ask the chain
/// about this payer and this nonce after a crash at any later step.
public struct NewPayment: Sendable, Equatable, Codable {
    /// The session that pays.
    public var sessionID: String
    /// The HTTP method of the paid request (`CALL` for an MCP tool call).
    public var method: String
    /// The URL of the paid request.
    public var url: String
    /// The party that asked for the payment, as the policy names it.
    public var host: HostName
    /// The CAIP-2 network, such as `eip155:8453`.
    public var network: String
    /// The token contract.
    public var asset: Address
    /// The token's display symbol, such as `USDC`.
    public var assetSymbol: String
    /// The token's decimals (0...36).
    public var decimals: Int
    /// The recipient.
    public var payTo: Address
    /// The amount in the token's smallest unit (not negative).
    public var amountAtomic: Int64
    /// The amount in budget units, converted once by the plan (rounded up).
    public var micros: Micros
    /// The x402 scheme, such as `exact`.
    public var scheme: String
    /// The x402 protocol version of the offer.
    public var x402Version: Int
    /// The authorization nonce.
    public var nonce: Nonce32
    /// The authorization's `validBefore`, Unix seconds.
    public var validBefore: Int64
    /// The paying address.
    public var payer: Address
    /// The `payment-identifier` id sent with the payment, when the seller declared the extension:
    /// stored before anything is signed, so a lost answer can be matched to what was sent.
    public var paymentId: String?
    /// The resource paid for as `origin + path` (no query), when the channel has one: what a
    /// later sign-in (`sign-in-with-x`) looks up to know this wallet already paid it.
    public var resource: String?
    /// The seller's signed offer for the paid option and how it was checked (JSON text), when the
    /// 402 carried one: evidence the buyer keeps.
    public var offer: String?

    /// Creates a payment description.
    public init(sessionID: String, method: String, url: String, host: HostName, network: String, asset: Address,
                assetSymbol: String, decimals: Int, payTo: Address, amountAtomic: Int64, micros: Micros, scheme: String,
                x402Version: Int, nonce: Nonce32, validBefore: Int64, payer: Address, paymentId: String? = nil,
                resource: String? = nil, offer: String? = nil) {
        self.sessionID = sessionID
        self.method = method
        self.url = url
        self.host = host
        self.network = network
        self.asset = asset
        self.assetSymbol = assetSymbol
        self.decimals = decimals
        self.payTo = payTo
        self.amountAtomic = amountAtomic
        self.micros = micros
        self.scheme = scheme
        self.x402Version = x402Version
        self.nonce = nonce
        self.validBefore = validBefore
        self.payer = payer
        self.paymentId = paymentId
        self.resource = resource
        self.offer = offer
    }

    /// The column of each field (the names of the `payment` table).
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case sessionID = "session_id", method, url, host, network, asset, assetSymbol = "asset_symbol", decimals
        case payTo = "pay_to", amountAtomic = "amount_atomic", micros, scheme, x402Version = "x402_version", nonce
        case validBefore = "valid_before", payer
        case paymentId = "payment_id", resource, offer
    }
}
