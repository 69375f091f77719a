import PurseCore

/// The x402 MCP binding, pure: how a tool result asks for payment, how the payment rides back in
/// `_meta`, and where the receipt comes back (x402 `specs/transports-v2/mcp.md`, and the two
/// other conventions met in the wild, x402-protocol.md §9.4).
///
/// Every reader here is strict about types and sizes and never throws past its caller: a
/// hostile upstream controls all of these bytes.
public enum MCPPaymentBinding {
    /// The request `_meta` key that carries the payment.
    public static let paymentKey = "x402/payment"
    /// The result `_meta` key that carries the settlement receipt.
    public static let receiptKey = "x402/payment-response"
    /// The result `_meta` key of the Cloudflare convention's payment-required answer.
    public static let errorKey = "x402/error"
    /// The JSON-RPC error code some servers use for payment required (`MCP_PAYMENT_REQUIRED_CODE`).
    public static let paymentRequiredErrorCode = 402

    // MARK: - Payment required

    /// Reads a `tools/call` result: payment required (in which convention), or not.
    ///
    /// In order: `_meta["x402/error"]` (Cloudflare; an object, or a string holding JSON or
    /// base64 JSON); then, on an `isError` result, `structuredContent` holding `x402Version` and
    /// `accepts` (the specification); then the first text block that is such a JSON object (text
    /// only). A result that is not an error is never read as payment-required by its content:
    /// a tool may well return x402 data as its answer.
    public static func recognise(result: JSONValue) -> MCPPaymentSignal {
        guard case let .object(r) = result else { return .none }
        if let marker = r["_meta"]?[errorKey], !marker.isNull {
            return signal(document(in: marker), .cloudflare, field: "_meta.\(errorKey)")
        }
        guard r["isError"]?.boolValue == true else { return .none }
        if let sc = r["structuredContent"], looksLikeOffer(sc) {
            return signal(.success(sc), .spec, field: "structuredContent")
        }
        if case let .array(blocks)? = r["content"] {
            for (i, block) in blocks.enumerated() {
                guard block["type"]?.stringValue == "text", let text = block["text"]?.stringValue,
                      text.utf8.count <= PaymentRequiredParser.maxDocumentBytes,
                      text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{"),
                      let doc = try? JSONParser(maxBytes: PaymentRequiredParser.maxDocumentBytes).parse(text),
                      looksLikeOffer(doc)
                else { continue }
                return signal(.success(doc), .text, field: "content[\(i)].text")
            }
        }
        return .none
    }

    /// Reads a JSON-RPC error answer: code 402 with a PaymentRequired as `data` asks for payment
    /// (the specification's error form); any other error does not.
    public static func recognise(errorCode: Int, data: JSONValue?) -> MCPPaymentSignal {
        guard errorCode == paymentRequiredErrorCode, let data, looksLikeOffer(data) else { return .none }
        return signal(.success(data), .spec, field: "error.data")
    }

    /// Whether `value` is an object with both `x402Version` and `accepts`: the shape the
    /// specification says to check before reading an offer.
    static func looksLikeOffer(_ value: JSONValue) -> Bool {
        guard case let .object(o) = value else { return false }
        return o["x402Version"] != nil && o["accepts"] != nil
    }

    private static func signal(_ doc: Result<JSONValue, X402Error>, _ convention: MCPPaymentConvention, field: String) -> MCPPaymentSignal {
        switch doc {
        case let .failure(e): return .unreadable(X402Error(e.kind, field: e.field ?? field, e.detail), convention)
        case let .success(d):
            do throws(X402Error) {
                return .paymentRequired(try PaymentRequiredParser.parseDocument(d, source: .toolResult, context: field), convention)
            } catch { return .unreadable(error, convention) }
        }
    }

    // MARK: - Paying

    /// The value of `_meta["x402/payment"]` for `payload` in `encoding`: the payload document,
    /// or the base64 of its compact JSON. Both are fixed when the payload is built, so every
    /// resend carries identical bytes.
    public static func metaValue(_ payload: PaymentPayload, encoding: MCPPaymentEncoding) -> JSONValue {
        switch encoding {
        case .object: payload.document
        case .base64String: .string(payload.base64)
        }
    }

    // MARK: - Receipt

    /// The settlement receipt of a paid call's result: `_meta["x402/payment-response"]`, else
    /// (the SDK wrapper's failed settlement) `structuredContent["x402/payment-response"]`; nil
    /// when neither is there.
    ///
    /// - Throws: `X402Error` naming the field when a receipt is there but unreadable: a JSON
    ///   object is read as is; a string as base64 JSON, else as JSON text; anything else is refused.
    public static func receipt(result: JSONValue) throws(X402Error) -> SettlementResponse? {
        let places: [(JSONValue?, String)] = [
            (result["_meta"]?[receiptKey], "_meta.\(receiptKey)"),
            (result["structuredContent"]?[receiptKey], "structuredContent.\(receiptKey)"),
        ]
        for case let (value?, field) in places where !value.isNull {
            switch document(in: value) {
            case let .success(doc): return try SettlementResponse.decode(document: doc, field: field)
            case let .failure(e): throw X402Error(e.kind, field: field, e.detail)
            }
        }
        return nil
    }

    // MARK: - Plumbing

    /// The JSON document a `_meta` value carries: an object as is; a string as base64 of JSON
    /// (Cloudflare), else as JSON text (the Python SDK accepts both). Capped at the offer size.
    static func document(in value: JSONValue) -> Result<JSONValue, X402Error> {
        switch value {
        case .object: return .success(value)
        case let .string(s):
            let limit = PaymentRequiredParser.maxDocumentBytes
            guard s.utf8.count <= limit * 4 / 3 + 4 else { return .failure(X402Error(.badValue, "is too large")) }
            let parser = JSONParser(maxBytes: limit)
            if let bytes = try? Base64.decode(s), let doc = try? parser.parse(bytes), case .object = doc { return .success(doc) }
            if let doc = try? parser.parse(s), case .object = doc { return .success(doc) }
            return .failure(X402Error(.badBase64, "is a string that is neither base64 of a JSON object nor a JSON object"))
        default:
            return .failure(X402Error(.wrongType, "must be an object or a string, got \(value.typeName)"))
        }
    }
}
