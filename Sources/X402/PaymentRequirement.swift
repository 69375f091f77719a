import PurseCore

/// One payment option offered by a server, normalized across x402 v1 and v2.
///
/// The server's original JSON entry is kept in `raw` so that v2 payloads can echo it back
/// verbatim in `accepted` (reference servers compare it by deep equality).
public struct PaymentRequirement: Sendable, Equatable {
    /// The position of this option in the server's `accepts` list.
    public let index: Int
    /// The x402 protocol version of the offer (1 or 2).
    public let x402Version: Int
    /// The payment scheme, such as `exact`.
    public let scheme: String
    /// The network exactly as the server wrote it (`base-sepolia` or `eip155:84532`).
    public let networkText: String
    /// The network normalized to CAIP-2, or nil when Purse does not know it.
    public let network: Network?
    /// The price in atomic units (v2 `amount`, v1 `maxAmountRequired`).
    public let amount: AtomicAmount
    /// The token contract address as the server wrote it.
    public let asset: String
    /// The recipient address as the server wrote it.
    public let payTo: String
    /// How long the server accepts an authorization for, in seconds.
    public let maxTimeoutSeconds: Int64
    /// Scheme-specific data; for EVM `exact`, the EIP-712 `name` and `version` of the token.
    public let extra: JSONObject?
    /// The v1 per-requirement resource URL, when given.
    public let resource: String?
    /// The server's original JSON entry.
    public let raw: JSONValue

    /// Creates a requirement (normally done by `PaymentRequiredParser`).
    public init(
        index: Int, x402Version: Int, scheme: String, networkText: String, amount: AtomicAmount,
        asset: String, payTo: String, maxTimeoutSeconds: Int64, extra: JSONObject?, resource: String?, raw: JSONValue
    ) {
        self.index = index
        self.x402Version = x402Version
        self.scheme = scheme
        self.networkText = networkText
        self.network = Network.parse(networkText)
        self.amount = amount
        self.asset = asset
        self.payTo = payTo
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.extra = extra
        self.resource = resource
        self.raw = raw
    }

    /// The EIP-712 domain name from `extra.name`, when it is a non-empty string.
    public var eip712Name: String? {
        guard let s = extra?["name"]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// The EIP-712 domain version from `extra.version`, when it is a non-empty string.
    public var eip712Version: String? {
        guard let s = extra?["version"]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// The `extra.assetTransferMethod` (absent means EIP-3009).
    public var assetTransferMethod: String? { extra?["assetTransferMethod"]?.stringValue }

    /// The `extra.paymentFlow` (absent means `authorization`: settle only after the handler succeeded).
    public var paymentFlow: String? { extra?["paymentFlow"]?.stringValue }
}

/// An entry of `accepts` that could not be understood, with the reason.
public struct RequirementProblem: Sendable, Equatable {
    /// The position in the server's `accepts` list.
    public let index: Int
    /// Why the entry was refused.
    public let error: X402Error
    /// The server's original entry.
    public let raw: JSONValue
}
