import PurseCore

/// A signed Permit2 `PermitWitnessTransferFrom`: what x402 `exact` (with `assetTransferMethod:
/// permit2`) and `upto` put in a payload, plus the EIP-2612 permit that lets Permit2 spend the
/// tokens when the payer has not approved it yet.
///
/// Its fields are the plan's typed values, so what was signed and what is sent cannot drift
/// apart; they become decimal and hex text only in `json` and `extensions`.
public struct SignedPermit2Transfer: Sendable, Equatable {
    /// The payer, whose key signed.
    public var from: Address
    /// The token (`permitted.token`).
    public var token: Address
    /// The price (`exact`) or the maximum (`upto`), in atomic units (`permitted.amount`).
    public var amount: Int64
    /// The x402 proxy allowed to use the signature.
    public var spender: Address
    /// Permit2's unordered nonce (a uint256, as 32 big-endian bytes).
    public var nonce: Nonce32
    /// Unix seconds after which Permit2 refuses it.
    public var deadline: Int64
    /// The witness.
    public var witness: Permit2Witness
    /// The 65-byte signature r‖s‖v (v = 27/28).
    public var signature: [UInt8]
    /// The EIP-2612 permit for Permit2, when one was signed (`eip2612GasSponsoring`).
    public var permit: SignedEIP2612Permit?

    /// Creates a signed transfer.
    public init(from: Address, token: Address, amount: Int64, spender: Address, nonce: Nonce32, deadline: Int64,
                witness: Permit2Witness, signature: [UInt8], permit: SignedEIP2612Permit? = nil) {
        self.from = from
        self.token = token
        self.amount = amount
        self.spender = spender
        self.nonce = nonce
        self.deadline = deadline
        self.witness = witness
        self.signature = signature
        self.permit = permit
    }

    /// The scheme payload `{permit2Authorization{from, permitted{token, amount}, spender, nonce,
    /// deadline, witness{to, [facilitator,] validAfter}}, signature}`, numbers as decimal strings
    /// (the nonce too), as the reference SDKs write it.
    public var json: JSONValue {
        let witnessJSON: JSONValue
        switch witness {
        case let .exact(to, validAfter):
            witnessJSON = ["to": .string(to.checksummed), "validAfter": .string(String(validAfter))]
        case let .upto(to, facilitator, validAfter):
            witnessJSON = ["to": .string(to.checksummed), "facilitator": .string(facilitator.checksummed),
                           "validAfter": .string(String(validAfter))]
        }
        return [
            "permit2Authorization": [
                "from": .string(from.checksummed),
                "permitted": ["token": .string(token.checksummed), "amount": .string(String(amount))],
                "spender": .string(spender.checksummed),
                "nonce": .string(UInt256(bytes32: nonce.bytes).decimalString),
                "deadline": .string(String(deadline)),
                "witness": witnessJSON,
            ],
            "signature": .string(Hex.encode(signature)),
        ]
    }
}
