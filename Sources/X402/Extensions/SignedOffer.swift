import PurseCore

/// One signed offer of the `offer-receipt` extension (`extensions["offer-receipt"].info.offers[]`):
/// terms the seller signed for one of its `accepts[]` entries.
///
/// Only the EIP-712 format is read; a JWS offer is kept (`format` says so) but cannot be
/// checked without resolving its key, so it never counts as a verified commitment.
public struct SignedOffer: Sendable, Equatable {
    /// The extension's key in `extensions`.
    public static let extensionKey = "offer-receipt"

    /// `eip712` or `jws`.
    public let format: String
    /// The unsigned hint of which `accepts[]` entry this is for; never trusted.
    public let acceptIndex: Int?
    /// The signed terms (EIP-712 only).
    public let terms: OfferTerms?
    /// The signature as sent (`0x` + 130 hex for EIP-712).
    public let signature: String
    /// The offer object as the server sent it.
    public let raw: JSONValue

    /// The offers of a 402, or nil when it carries none. Entries that are not objects with a
    /// string `format` and `signature` are reported as problems, never dropped silently.
    public static func offers(in required: PaymentRequired) -> (offers: [SignedOffer], problems: [X402Error])? {
        guard let ext = required.extensions?[extensionKey] else { return nil }
        let base = "extensions.offer-receipt.info.offers"
        guard case let .array(items)? = ext["info"]?["offers"] else {
            return ([], [X402Error(.wrongType, field: base, "must be an array")])
        }
        var offers: [SignedOffer] = []
        var problems: [X402Error] = []
        for (i, item) in items.enumerated() {
            do throws(X402Error) { offers.append(try parse(item, field: "\(base)[\(i)]")) } catch { problems.append(error) }
        }
        return (offers, problems)
    }

    /// Parses one offer object.
    public static func parse(_ value: JSONValue, field: String) throws(X402Error) -> SignedOffer {
        guard case let .object(o) = value else { throw X402Error(.wrongType, field: field, "must be an object") }
        guard let format = o["format"]?.stringValue else { throw X402Error(.missingField, field: "\(field).format", "must be a string") }
        guard let signature = o["signature"]?.stringValue else { throw X402Error(.missingField, field: "\(field).signature", "must be a string") }
        var index: Int?
        if let a = o["acceptIndex"], !a.isNull {
            guard let v = a.int64Value, let i = Int(exactly: v) else { throw X402Error(.wrongType, field: "\(field).acceptIndex", "must be an integer") }
            index = i
        }
        var terms: OfferTerms?
        if format == "eip712" {
            guard let p = o["payload"] else { throw X402Error(.missingField, field: "\(field).payload", "is required for eip712") }
            terms = try OfferTerms.parse(p, field: "\(field).payload")
        }
        return SignedOffer(format: format, acceptIndex: index, terms: terms, signature: signature, raw: value)
    }
}

/// The payload of a signed offer (§4.2), with its fields as transmitted.
public struct OfferTerms: Sendable, Equatable {
    /// The payload schema version (1).
    public let version: UInt64
    /// The paid resource URL.
    public let resourceUrl: String
    /// The scheme.
    public let scheme: String
    /// The CAIP-2 network.
    public let network: String
    /// The token.
    public let asset: String
    /// The payee.
    public let payTo: String
    /// The atomic amount.
    public let amount: String
    /// When the offer expires, Unix seconds (0 = never).
    public let validUntil: UInt64

    /// Parses the payload object; every field must have its specified JSON type.
    public static func parse(_ value: JSONValue, field: String) throws(X402Error) -> OfferTerms {
        guard case let .object(o) = value else { throw X402Error(.wrongType, field: field, "must be an object") }
        func text(_ k: String) throws(X402Error) -> String {
            guard let s = o[k]?.stringValue else { throw X402Error(.wrongType, field: "\(field).\(k)", "must be a string") }
            return s
        }
        return OfferTerms(
            version: try ExtensionNumber.unsigned(o["version"], field: "\(field).version", required: true),
            resourceUrl: try text("resourceUrl"), scheme: try text("scheme"), network: try text("network"),
            asset: try text("asset"), payTo: try text("payTo"), amount: try text("amount"),
            validUntil: try ExtensionNumber.unsigned(o["validUntil"], field: "\(field).validUntil", required: false))
    }
}

/// Reads the unsigned integers of extension payloads (`version`, `validUntil`, `issuedAt`).
enum ExtensionNumber {
    /// A non-negative JSON integer that fits 64 bits; absent or null is 0 unless required.
    static func unsigned(_ v: JSONValue?, field: String, required: Bool) throws(X402Error) -> UInt64 {
        guard let v, !v.isNull else {
            if required { throw X402Error(.missingField, field: field, "is required") }
            return 0
        }
        guard case let .number(text) = v, !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let n = UInt64(text) else {
            throw X402Error(.wrongType, field: field, "must be a non-negative integer")
        }
        return n
    }
}
