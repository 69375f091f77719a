import PurseCore

/// A signed EIP-2612 permit approving Permit2 for exactly one payment's amount: the `info` of
/// the `eip2612GasSponsoring` extension, with which the facilitator grants Permit2 its allowance
/// in the settling transaction.
public struct SignedEIP2612Permit: Sendable, Equatable {
    /// The extension's key in `extensions`.
    public static let extensionKey = "eip2612GasSponsoring"

    /// The token holder (the payer).
    public var from: Address
    /// The token.
    public var asset: Address
    /// The approved spender: Permit2.
    public var spender: Address
    /// The allowance granted: the payment's amount (the maximum for `upto`), never unlimited.
    public var amount: Int64
    /// The token's `nonces(owner)` when the plan was made.
    public var nonce: UInt256
    /// Unix seconds after which the token refuses the permit (the Permit2 deadline).
    public var deadline: Int64
    /// The 65-byte signature r‖s‖v (v = 27/28).
    public var signature: [UInt8]

    /// Creates a signed permit.
    public init(from: Address, asset: Address, spender: Address, amount: Int64, nonce: UInt256, deadline: Int64, signature: [UInt8]) {
        self.from = from
        self.asset = asset
        self.spender = spender
        self.amount = amount
        self.nonce = nonce
        self.deadline = deadline
        self.signature = signature
    }

    /// The extension's `info`: `{from, asset, spender, amount, nonce, deadline, signature, version}`.
    public var info: JSONObject {
        [
            "from": .string(from.checksummed), "asset": .string(asset.checksummed), "spender": .string(spender.checksummed),
            "amount": .string(String(amount)), "nonce": .string(nonce.decimalString), "deadline": .string(String(deadline)),
            "signature": .string(Hex.encode(signature)), "version": "1",
        ]
    }
}
