/// A signed EIP-3009 `TransferWithAuthorization`, as the strings x402 puts on the wire.
public struct SignedAuthorization: Sendable, Equatable {
    /// The payer address (0x-hex).
    public var from: String
    /// The recipient address, the requirement's `payTo`.
    public var to: String
    /// The amount in atomic units, decimal.
    public var value: String
    /// Unix seconds, decimal.
    public var validAfter: String
    /// Unix seconds, decimal.
    public var validBefore: String
    /// The 32-byte nonce as 0x-hex.
    public var nonce: String
    /// The 65-byte signature r‖s‖v as 0x-hex (v = 27/28).
    public var signature: String

    /// Creates a signed authorization.
    public init(from: String, to: String, value: String, validAfter: String, validBefore: String, nonce: String, signature: String) {
        self.from = from
        self.to = to
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
        self.signature = signature
    }
}
