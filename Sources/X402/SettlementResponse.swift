import PurseCore

/// The server's settlement receipt (`PAYMENT-RESPONSE` in v2, `X-PAYMENT-RESPONSE` in v1).
public struct SettlementResponse: Sendable, Equatable {
    /// Whether the facilitator settled the payment.
    public let success: Bool
    /// The transaction hash, normalized to lower-case `0x` + 64 hex; nil when absent or malformed.
    public let transaction: String?
    /// The network as the server wrote it.
    public let network: String?
    /// The payer address the server reports.
    public let payer: String?
    /// The failure reason, such as `invalid_exact_evm_insufficient_balance`.
    public let errorReason: String?
    /// The amount the seller says it settled (`amount`, v2; `upto` reports the actual charge),
    /// exactly as written; nil when absent. Read it through `settledAmount`.
    public let amount: String?
    /// The decoded document.
    public let raw: JSONValue

    /// The settle error of a transfer that was broadcast but not confirmed: not a failure.
    public static let pendingReason = "settlement_pending"

    /// The header names, newest first.
    public static let headerNames = ["PAYMENT-RESPONSE", "X-PAYMENT-RESPONSE"]

    /// Decodes the receipt from response headers; nil when neither header is present.
    ///
    /// - Throws: `X402Error` when a header is present but is not padded base64 of a JSON object
    ///   with a boolean `success`.
    public static func parse(header: (String) -> String?) throws(X402Error) -> SettlementResponse? {
        for name in headerNames {
            guard let value = header(name) else { continue }
            return try decode(value, field: name)
        }
        return nil
    }

    /// Decodes one base64 header value.
    public static func decode(_ value: String, field: String) throws(X402Error) -> SettlementResponse {
        let bytes: [UInt8]
        do { bytes = try Base64.decode(value) } catch { throw X402Error(.badBase64, field: field, error.message) }
        let doc: JSONValue
        do { doc = try JSONParser(maxBytes: maxDocumentBytes).parse(bytes) } catch { throw X402Error(.badJSON, field: field, error.message) }
        return try decode(document: doc, field: field)
    }

    /// The largest receipt document Purse decodes.
    public static let maxDocumentBytes = 256 << 10

    /// Decodes an already-parsed receipt document (the MCP binding carries it as a JSON object in
    /// `_meta["x402/payment-response"]`, not as base64).
    ///
    /// - Throws: `X402Error` when it is not an object with a boolean `success`, or a known field
    ///   has the wrong type.
    public static func decode(document doc: JSONValue, field: String) throws(X402Error) -> SettlementResponse {
        guard case let .object(o) = doc else { throw X402Error(.notAnObject, field: field, "expected a JSON object, got \(doc.typeName)") }
        guard let s = o["success"] else { throw X402Error(.missingField, field: "\(field).success", "is required") }
        guard case let .bool(success) = s else { throw X402Error(.wrongType, field: "\(field).success", "must be a boolean, got \(s.typeName)") }
        func str(_ key: String) throws(X402Error) -> String? {
            guard let v = o[key], !v.isNull else { return nil }
            guard case let .string(t) = v else { throw X402Error(.wrongType, field: "\(field).\(key)", "must be a string, got \(v.typeName)") }
            return t
        }
        let tx = try str("transaction")
        let network = try str("network")
        let payer = try str("payer")
        let reason = try str("errorReason")
        let reasonMessage = try str("errorMessage")
        // `amount` is informational for `exact`; a malformed one is kept as text (and, for
        // `upto`, treated as no amount) rather than making the whole receipt unreadable.
        var amount: String?
        if let a = o["amount"], !a.isNull { amount = a.stringValue ?? a.encoded() }
        return SettlementResponse(
            success: success, transaction: tx.flatMap(normalizeTransaction), network: network,
            payer: payer, errorReason: reason ?? reasonMessage, amount: amount, raw: doc)
    }

    /// The settled amount in atomic units when `amount` is a string of decimal digits that fits
    /// 63 bits (zero included); nil when absent or malformed.
    public var settledAmount: Int64? {
        guard let amount, !amount.isEmpty, amount.utf8.count <= 19, amount.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(amount)
    }

    /// Normalizes a transaction id: an EVM hash written with or without `0x` (some facilitators
    /// omit it) becomes `0x` + 64 lower-case hex digits; a Solana transaction signature (base58
    /// of 64 bytes) is kept as written; anything else is nil.
    public static func normalizeTransaction(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces
        var t = Substring(trimmed)
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t = t.dropFirst(2) }
        if t.utf8.count == 64, t.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) {
            return "0x" + t.lowercased()
        }
        if trimmed.utf8.count <= 90, (try? Base58.decode(trimmed, length: 64)) != nil { return trimmed }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
