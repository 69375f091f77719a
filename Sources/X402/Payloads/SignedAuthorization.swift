import PurseCore

/// A signed EIP-3009 `TransferWithAuthorization`: what the `exact` EVM scheme puts in a payload.
///
/// Its fields are the typed values of the payment plan, so the bytes that were signed and the
/// JSON that is sent cannot drift apart; they become decimal and hex text only in `json`.
public struct SignedAuthorization: Sendable, Equatable {
    /// The payer, whose key signed.
    public var from: Address
    /// The payee (`payTo`).
    public var to: Address
    /// The amount in atomic units.
    public var value: Int64
    /// Unix seconds after which it is valid.
    public var validAfter: Int64
    /// Unix seconds before which it is valid.
    public var validBefore: Int64
    /// The 32-byte nonce.
    public var nonce: Nonce32
    /// The 65-byte signature r‖s‖v (v = 27/28).
    public var signature: [UInt8]

    /// Creates a signed authorization.
    public init(from: Address, to: Address, value: Int64, validAfter: Int64, validBefore: Int64, nonce: Nonce32, signature: [UInt8]) {
        self.from = from
        self.to = to
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
        self.signature = signature
    }

    /// The scheme payload `{signature, authorization{from, to, value, validAfter, validBefore, nonce}}`,
    /// every leaf a string as the reference SDKs write it.
    public var json: JSONValue {
        [
            "signature": .string(Hex.encode(signature)),
            "authorization": [
                "from": .string(from.checksummed), "to": .string(to.checksummed), "value": .string(String(value)),
                "validAfter": .string(String(validAfter)), "validBefore": .string(String(validBefore)),
                "nonce": .string(nonce.hex),
            ],
        ]
    }
}
