import PurseCore

/// A payment about to be reserved: everything known before the authorization is signed.
///
/// Every value comes typed from the payment plan (no re-parsing, no second conversion of the
/// price): the ledger stores exactly what will be signed, so that reconcile can ask the chain
/// about this payer and this authorization (`authorization`) after a crash at any later step.
/// Accounts are `ChainAccount`s, so a row can hold a payment of any chain Purse pays on.
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
    /// The token (an ERC-20 contract, an SPL mint).
    public var asset: ChainAccount
    /// The token's display symbol, such as `USDC`.
    public var assetSymbol: String
    /// The token's decimals (0...36).
    public var decimals: Int
    /// The recipient.
    public var payTo: ChainAccount
    /// The amount in the token's smallest unit (not negative). For a payment settled for its
    /// actual amount (`upto`), the signed maximum until settlement, then what was charged.
    public var amountAtomic: Int64
    /// The amount in budget units, converted once by the plan (rounded up); like `amountAtomic`,
    /// the maximum until an `upto` payment settles.
    public var micros: Micros
    /// The x402 scheme, such as `exact` or `upto`.
    public var scheme: String
    /// The x402 protocol version of the offer.
    public var x402Version: Int
    /// What identifies the signed authorization on its chain (an EIP-3009 or Permit2 nonce).
    public var authorization: AuthorizationReference
    /// The last Unix second the authorization can be used (EIP-3009 `validBefore`, Permit2 `deadline`).
    public var validBefore: Int64
    /// The paying account.
    public var payer: ChainAccount
    /// The signed maximum of a payment settled for its actual amount (`upto`), in atomic units;
    /// nil when the amount is fixed. It never changes once reserved.
    public var maxAmountAtomic: Int64?

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
    public init(sessionID: String, method: String, url: String, host: HostName, network: String, asset: ChainAccount,
                assetSymbol: String, decimals: Int, payTo: ChainAccount, amountAtomic: Int64, micros: Micros, scheme: String,
                x402Version: Int, authorization: AuthorizationReference, validBefore: Int64, payer: ChainAccount,
                maxAmountAtomic: Int64? = nil, paymentId: String? = nil, resource: String? = nil, offer: String? = nil) {
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
        self.authorization = authorization
        self.validBefore = validBefore
        self.payer = payer
        self.maxAmountAtomic = maxAmountAtomic
        self.paymentId = paymentId
        self.resource = resource
        self.offer = offer
    }

    /// Creates an EIP-3009 payment on an EVM chain (the one kind Purse paid before others).
    public init(sessionID: String, method: String, url: String, host: HostName, network: String, asset: Address,
                assetSymbol: String, decimals: Int, payTo: Address, amountAtomic: Int64, micros: Micros, scheme: String,
                x402Version: Int, nonce: Nonce32, validBefore: Int64, payer: Address, paymentId: String? = nil,
                resource: String? = nil, offer: String? = nil) {
        self.init(sessionID: sessionID, method: method, url: url, host: host, network: network, asset: .evm(asset),
                  assetSymbol: assetSymbol, decimals: decimals, payTo: .evm(payTo), amountAtomic: amountAtomic, micros: micros,
                  scheme: scheme, x402Version: x402Version, authorization: .eip3009(nonce: nonce), validBefore: validBefore,
                  payer: .evm(payer), paymentId: paymentId, resource: resource, offer: offer)
    }

    /// The column of each field (the names of the `payment` table). The authorization reference
    /// takes two: `authorization_kind` and its value in `nonce`.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case sessionID = "session_id", method, url, host, network, asset, assetSymbol = "asset_symbol", decimals
        case payTo = "pay_to", amountAtomic = "amount_atomic", micros, scheme, x402Version = "x402_version", nonce
        case validBefore = "valid_before", payer
        case paymentId = "payment_id", resource, offer
        case authorizationKind = "authorization_kind", maxAmountAtomic = "max_amount_atomic"
    }

    /// Decodes a row; a row without `authorization_kind` (written before it existed) is EIP-3009.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sessionID = try c.decode(String.self, forKey: .sessionID)
        method = try c.decode(String.self, forKey: .method)
        url = try c.decode(String.self, forKey: .url)
        host = try c.decode(HostName.self, forKey: .host)
        network = try c.decode(String.self, forKey: .network)
        asset = try c.decode(ChainAccount.self, forKey: .asset)
        assetSymbol = try c.decode(String.self, forKey: .assetSymbol)
        decimals = try c.decode(Int.self, forKey: .decimals)
        payTo = try c.decode(ChainAccount.self, forKey: .payTo)
        amountAtomic = try c.decode(Int64.self, forKey: .amountAtomic)
        micros = try c.decode(Micros.self, forKey: .micros)
        scheme = try c.decode(String.self, forKey: .scheme)
        x402Version = try c.decode(Int.self, forKey: .x402Version)
        let kind = try c.decodeIfPresent(String.self, forKey: .authorizationKind)
        let value = try c.decode(String.self, forKey: .nonce)
        do { authorization = try AuthorizationReference(kind: kind, value: value) } catch {
            throw DecodingError.dataCorruptedError(forKey: .nonce, in: c, debugDescription: error.message)
        }
        validBefore = try c.decode(Int64.self, forKey: .validBefore)
        payer = try c.decode(ChainAccount.self, forKey: .payer)
        maxAmountAtomic = try c.decodeIfPresent(Int64.self, forKey: .maxAmountAtomic)
        paymentId = try c.decodeIfPresent(String.self, forKey: .paymentId)
        resource = try c.decodeIfPresent(String.self, forKey: .resource)
        offer = try c.decodeIfPresent(String.self, forKey: .offer)
    }

    /// Encodes every column.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(method, forKey: .method)
        try c.encode(url, forKey: .url)
        try c.encode(host, forKey: .host)
        try c.encode(network, forKey: .network)
        try c.encode(asset, forKey: .asset)
        try c.encode(assetSymbol, forKey: .assetSymbol)
        try c.encode(decimals, forKey: .decimals)
        try c.encode(payTo, forKey: .payTo)
        try c.encode(amountAtomic, forKey: .amountAtomic)
        try c.encode(micros, forKey: .micros)
        try c.encode(scheme, forKey: .scheme)
        try c.encode(x402Version, forKey: .x402Version)
        try c.encode(authorization.value, forKey: .nonce)
        try c.encode(authorization.kind, forKey: .authorizationKind)
        try c.encode(validBefore, forKey: .validBefore)
        try c.encode(payer, forKey: .payer)
        try c.encodeIfPresent(maxAmountAtomic, forKey: .maxAmountAtomic)
        try c.encodeIfPresent(paymentId, forKey: .paymentId)
        try c.encodeIfPresent(resource, forKey: .resource)
        try c.encodeIfPresent(offer, forKey: .offer)
    }
}
