import PurseCore

/// The payment header Purse sends with the paid retry, built once per call and resent unchanged.
public struct PaymentHeader: Sendable, Equatable {
    /// `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1).
    public let name: String
    /// Padded standard base64 of the compact JSON payload.
    public let value: String
    /// The payload document.
    public let payload: JSONValue

    /// Builds the payload for the chosen requirement.
    ///
    /// v2 echoes the chosen `accepts` entry verbatim as `accepted`, the offer's `resource`, and
    /// the offer's `extensions` (adding `info.id` to `payment-identifier` when advertised). v1
    /// names the scheme and network exactly as the server wrote them.
    public init(offer: PaymentRequired, requirement: PaymentRequirement, authorization a: SignedAuthorization, paymentIdentifier: String?) {
        let inner: JSONValue = [
            "signature": .string(a.signature),
            "authorization": [
                "from": .string(a.from), "to": .string(a.to), "value": .string(a.value),
                "validAfter": .string(a.validAfter), "validBefore": .string(a.validBefore), "nonce": .string(a.nonce),
            ],
        ]
        var doc = JSONObject()
        if requirement.x402Version == 1 {
            doc["x402Version"] = 1
            doc["scheme"] = .string(requirement.scheme)
            doc["network"] = .string(requirement.networkText)
            doc["payload"] = inner
            self.name = "X-PAYMENT"
        } else {
            doc["x402Version"] = 2
            if let resource = offer.resource { doc["resource"] = resource }
            doc["accepted"] = requirement.raw
            doc["payload"] = inner
            if var ext = offer.extensions {
                if let id = paymentIdentifier, case var .object(pid)? = ext["payment-identifier"] {
                    var info = pid["info"]?.objectValue ?? JSONObject()
                    info["id"] = .string(id)
                    pid["info"] = .object(info)
                    ext["payment-identifier"] = .object(pid)
                }
                doc["extensions"] = .object(ext)
            }
            self.name = "PAYMENT-SIGNATURE"
        }
        self.payload = .object(doc)
        self.value = Base64.encode(payload.encodedBytes())
    }

    /// Makes a payment identifier (`pay_` + 32 hex) from 16 random bytes.
    public static func paymentIdentifier(random: [UInt8]) -> String {
        "pay_" + Hex.encode(random.prefix(16), prefix: false)
    }
}
