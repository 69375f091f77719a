/// A payment about to be reserved: everything known before the authorization is signed.
public struct NewPayment: Sendable, Equatable {
    /// The session that pays.
    public var sessionID: String
    /// The HTTP method of the paid request.
    public var method: String
    /// The URL of the paid request.
    public var url: String
    /// The host that asked for the payment (stored lower-cased).
    public var host: String
    /// The CAIP-2 network, such as `eip155:8453`.
    public var network: String
    /// The token contract, a `0x` address.
    public var asset: String
    /// The token's display symbol, such as `USDC`.
    public var assetSymbol: String
    /// The token's decimals (0...36).
    public var decimals: Int
    /// The recipient address.
    public var payTo: String
    /// The amount in the token's smallest unit (not negative).
    public var amountAtomic: Int64
    /// The x402 scheme, such as `exact`.
    public var scheme: String
    /// The x402 protocol version of the offer.
    public var x402Version: Int
    /// The EIP-3009 nonce, `0x` and 32 bytes of hex.
    public var nonce: String
    /// The authorization's `validBefore`, Unix seconds.
    public var validBefore: Int64
    /// The paying address.
    public var payer: String

    /// Creates a payment description.
    public init(sessionID: String, method: String, url: String, host: String, network: String, asset: String,
                assetSymbol: String, decimals: Int, payTo: String, amountAtomic: Int64, scheme: String,
                x402Version: Int, nonce: String, validBefore: Int64, payer: String) {
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
        self.scheme = scheme
        self.x402Version = x402Version
        self.nonce = nonce
        self.validBefore = validBefore
        self.payer = payer
    }
}
