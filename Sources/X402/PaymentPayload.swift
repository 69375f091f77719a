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
    /// The compact JSON text of the document: the exact bytes that were signed over and sent
    /// (base64 of them is the HTTP header), as the ledger keeps them. Encoded once with
    /// `base64`, from the same bytes, so the two cannot differ.
    public let documentText: String

    /// Builds the payload for the chosen requirement.
    ///
    /// v2 echoes, as the reference client does, the chosen `accepts` entry verbatim as
    /// `accepted`, the offer's `resource`, and every extension the offer advertised exactly as
    /// given (a seller's resource server refuses a payment whose echo lacks an advertised field),
    /// adding only the client's `info.id` to a declared `payment-identifier` (replacing any id a
    /// server put there: the idempotency key is the client's) and `schemeExtensions`, what the
    /// signed scheme contributes to a declared extension (an `eip2612GasSponsoring` permit),
    /// laid under the server's fields. Nothing is invented: an offer without `extensions` gets
    /// none. v1 names the scheme and network exactly as the server wrote them.
    public init(offer: PaymentRequired, requirement: PaymentRequirement, scheme payload: JSONValue, paymentIdentifier: PaymentIdentifier?,
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
                if let id = paymentIdentifier, case var .object(pid)? = ext[PaymentIdentifier.extensionKey],
                   pid["info"] == nil || pid["info"]?.objectValue != nil {
                    var info = pid["info"]?.objectValue ?? JSONObject()
                    info["id"] = .string(id.value)
                    pid["info"] = .object(info)
                    ext[PaymentIdentifier.extensionKey] = .object(pid)
                }
                for member in schemeExtensions?.members ?? [] {
                    // Only into an extension the server declared, under its own fields.
                    guard case let .object(declared)? = ext[member.key], case let .object(mine) = member.value else { continue }
                    ext[member.key] = .object(Self.overlay(declared, mine))
                }
                doc["extensions"] = .object(ext)
            }
        }
        self.x402Version = requirement.x402Version
        self.document = .object(doc)
        let bytes = document.encodedBytes()
        self.base64 = Base64.encode(bytes)
        self.documentText = String(decoding: bytes, as: UTF8.self)
    }

    /// A server's declared extension with the client's data laid under it, as the reference
    /// clients merge them: objects merge recursively, a key only the client has is added, and on
    /// a conflicting leaf the server's value stays (its `schema` and `info.version` are echoed
    /// untouched; a strict server refuses an echo that dropped them).
    static func overlay(_ server: JSONObject, _ client: JSONObject) -> JSONObject {
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

    /// The `payment-identifier` id this payload carries, when it carries one.
    public var paymentIdentifier: String? {
        document["extensions"]?[PaymentIdentifier.extensionKey]?["info"]?["id"]?.stringValue
    }
}
