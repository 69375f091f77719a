import Foundation

/// One stored payment row.
public struct PaymentRecord: Sendable, Codable, Equatable {
    /// The row id, increasing.
    public var id: Int64
    /// The session that paid.
    public var sessionID: String
    /// When the reservation was made (millisecond precision).
    public var createdAt: Date
    /// When the status last changed (millisecond precision).
    public var updatedAt: Date
    /// The HTTP method of the paid request.
    public var method: String
    /// The URL of the paid request.
    public var url: String
    /// The lower-case host that was paid.
    public var host: String
    /// The CAIP-2 network.
    public var network: String
    /// The token contract address.
    public var asset: String
    /// The token's display symbol.
    public var assetSymbol: String
    /// The token's decimals.
    public var decimals: Int
    /// The recipient address.
    public var payTo: String
    /// The amount in the token's smallest unit.
    public var amountAtomic: Int64
    /// The amount in budget micro-units, rounded up.
    public var micros: Int64
    /// The x402 scheme.
    public var scheme: String
    /// The x402 protocol version.
    public var x402Version: Int
    /// The EIP-3009 nonce.
    public var nonce: String
    /// The authorization's `validBefore`, Unix seconds.
    public var validBefore: Int64
    /// The current status.
    public var status: PaymentStatus
    /// The settlement transaction hash, when known.
    public var txHash: String?
    /// The paying address.
    public var payer: String
    /// Why the payment failed or is unknown, when it did or is.
    public var error: String?
    /// The HTTP status of the paid retry, when one came back.
    public var httpStatus: Int?

    /// Creates a record (the ledger creates them; tests and reports may too).
    public init(id: Int64, sessionID: String, createdAt: Date, updatedAt: Date, method: String, url: String,
                host: String, network: String, asset: String, assetSymbol: String, decimals: Int, payTo: String,
                amountAtomic: Int64, micros: Int64, scheme: String, x402Version: Int, nonce: String,
                validBefore: Int64, status: PaymentStatus, txHash: String?, payer: String, error: String?,
                httpStatus: Int?) {
        self.id = id
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
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
        self.status = status
        self.txHash = txHash
        self.payer = payer
        self.error = error
        self.httpStatus = httpStatus
    }
}
