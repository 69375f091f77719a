import PurseCore

/// The x402 `PaymentPayload` Purse sends for one payment, built once and resent unchanged.
///
/// It knows nothing of the transport: HTTP sends `base64` in the header named by
/// `httpHeaderName`; the MCP binding puts `document` in `_meta["x402/payment"]`.
public struct PaymentPayload: Sendable, Equatable {
    /// The protocol version (1 or 2).
    public let x402Version: Int
    /// The payload document.
    public let document: JSONValue
    /// Padded standard base64 of the compact JSON document, computed once.
    public let base64: String

    /// Builds the payload for the chosen requirement.
    ///
    /// v2 echoes the chosen `accepts` entry verbatim as `accepted`, the offer's `resource`, and
    /// the offer's `extensions` (adding `info.id` to `payment-identifier` when advertised, and
    /// `schemeExtensions`, what the signed scheme contributes, such as an `eip2612GasSponsoring`
    /// permit). v1 names the scheme and network exactly as the server wrote them.
    public init(offer: PaymentRequired, requirement: PaymentRequirement, scheme payload: JSONValue, paymentIdentifier: String?,
                schemeExtensions: JSONObject? = nil) {
        var doc = JSONObject()
        if requirement.x402Version == 1 {
            doc["x402Version"] = 1
            doc["scheme"] = .string(requirement.scheme)
            doc["network"] = .string(requirement.networkText)
            doc["payload"] = payload
        } else {
            doc["x402Version"] = 2
            if let resource = offer.resource { doc["resource"] = resource }
            doc["accepted"] = requirement.raw
            doc["payload"] = payload
            if var ext = offer.extensions {
                if let id = paymentIdentifier, case var .object(pid)? = ext["payment-identifier"] {
                    var info = pid["info"]?.objectValue ?? JSONObject()
                    info["id"] = .string(id)
                    pid["info"] = .object(info)
                    ext["payment-identifier"] = .object(pid)
                }
                doc["extensions"] = .object(Self.overlay(ext, schemeExtensions))
            } else if let schemeExtensions {
                doc["extensions"] = .object(schemeExtensions)
            }
        }
        self.x402Version = requirement.x402Version
        self.document = .object(doc)
        self.base64 = Base64.encode(document.encodedBytes())
    }

    /// The server's declared extensions with the client's data laid over them, as the reference
    /// clients merge them: objects merge recursively, a key only the client has is added, and on
    /// a conflicting leaf the server's value stays (its `schema` and `info.version` are echoed
    /// untouched; a strict server refuses an echo that dropped them).
    static func overlay(_ server: JSONObject, _ client: JSONObject?) -> JSONObject {
        guard let client else { return server }
        var out = server
        for member in client.members {
            let (key, value) = (member.key, member.value)
            if case let .object(s)? = out[key], case let .object(c) = value {
                out[key] = .object(overlay(s, c))
            } else if out[key] == nil {
                out[key] = value
            }
        }
        return out
    }

    /// `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1).
    public var httpHeaderName: String { x402Version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE" }

    /// The names of the payment headers of every version, which a caller may not set itself.
    public static let httpHeaderNames = ["PAYMENT-SIGNATURE", "X-PAYMENT"]

    /// Makes a payment identifier (`pay_` + 32 hex) from 16 random bytes.
    public static func paymentIdentifier(random: [UInt8]) -> String {
        "pay_" + Hex.encode(random.prefix(16), prefix: false)
    }
}
