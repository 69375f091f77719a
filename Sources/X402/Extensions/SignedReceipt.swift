import PurseCore

/// A signed receipt of the `offer-receipt` extension, found in a settlement response at
/// `extensions["offer-receipt"].info.receipt`: the seller's statement that this payer paid.
public struct SignedReceipt: Sendable, Equatable {
    /// `eip712` or `jws`.
    public let format: String
    /// The signed fields (EIP-712 only).
    public let terms: ReceiptTerms?
    /// The signature as sent.
    public let signature: String
    /// The receipt object as the server sent it.
    public let raw: JSONValue

    /// The receipt in a settlement response: nil when there is none, a problem when there is one
    /// that cannot be read.
    public static func find(in settlement: SettlementResponse) -> Result<SignedReceipt, X402Error>? {
        guard let value = settlement.raw["extensions"]?[SignedOffer.extensionKey]?["info"]?["receipt"], !value.isNull else { return nil }
        let field = "PAYMENT-RESPONSE.extensions.offer-receipt.info.receipt"
        do throws(X402Error) { return .success(try parse(value, field: field)) } catch { return .failure(error) }
    }

    /// Parses one receipt object.
    public static func parse(_ value: JSONValue, field: String) throws(X402Error) -> SignedReceipt {
        guard case let .object(o) = value else { throw X402Error(.wrongType, field: field, "must be an object") }
        guard let format = o["format"]?.stringValue else { throw X402Error(.missingField, field: "\(field).format", "must be a string") }
        guard let signature = o["signature"]?.stringValue else { throw X402Error(.missingField, field: "\(field).signature", "must be a string") }
        var terms: ReceiptTerms?
        if format == "eip712" {
            guard case let .object(p)? = o["payload"] else { throw X402Error(.missingField, field: "\(field).payload", "must be an object") }
            func text(_ k: String, required: Bool = true) throws(X402Error) -> String {
                guard let v = p[k], !v.isNull else {
                    if required { throw X402Error(.missingField, field: "\(field).payload.\(k)", "is required") }
                    return ""
                }
                guard let s = v.stringValue else { throw X402Error(.wrongType, field: "\(field).payload.\(k)", "must be a string") }
                return s
            }
            terms = ReceiptTerms(
                version: try ExtensionNumber.unsigned(p["version"], field: "\(field).payload.version", required: true),
                network: try text("network"), resourceUrl: try text("resourceUrl"), payer: try text("payer"),
                issuedAt: try ExtensionNumber.unsigned(p["issuedAt"], field: "\(field).payload.issuedAt", required: true),
                transaction: try text("transaction", required: false))
        }
        return SignedReceipt(format: format, terms: terms, signature: signature, raw: value)
    }
}

/// The payload of a signed receipt (§5.2), with its fields as transmitted.
public struct ReceiptTerms: Sendable, Equatable {
    /// The payload schema version (1).
    public let version: UInt64
    /// The CAIP-2 network.
    public let network: String
    /// The paid resource URL.
    public let resourceUrl: String
    /// The payer.
    public let payer: String
    /// When the seller issued it, Unix seconds.
    public let issuedAt: UInt64
    /// The settlement transaction, or `""`.
    public let transaction: String
}
