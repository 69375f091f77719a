import PurseCore

/// Finds and parses the payment requirements in a 402 response.
///
/// Order, as in the reference clients: the v2 `PAYMENT-REQUIRED` header first; otherwise a JSON
/// body with `x402Version: 1`; otherwise a v2 object in the body. Unknown fields are ignored;
/// known fields with the wrong type are errors that name the field.
public enum PaymentRequiredParser {
    /// The largest `accepts` list Purse will look at.
    public static let maxOptions = 64
    /// The largest header or body Purse will decode for an offer.
    public static let maxDocumentBytes = 1 << 20

    /// Parses the offer of a 402 response.
    ///
    /// - Parameters:
    ///   - header: looks up a response header case-insensitively.
    ///   - body: the response body.
    /// - Throws: `X402Error` when there is no usable offer.
    public static func parse(header: (String) -> String?, body: [UInt8]) throws(X402Error) -> PaymentRequired {
        if let value = header("PAYMENT-REQUIRED") {
            guard value.utf8.count <= maxDocumentBytes * 4 / 3 + 4 else {
                throw X402Error(.badValue, field: "PAYMENT-REQUIRED", "header is too large")
            }
            let bytes: [UInt8]
            do { bytes = try Base64.decode(value) } catch {
                throw X402Error(.badBase64, field: "PAYMENT-REQUIRED", error.message)
            }
            return try parseDocument(bytes, source: .header, context: "PAYMENT-REQUIRED")
        }
        guard !body.isEmpty else {
            throw X402Error(.noPaymentInfo, "the 402 response has no PAYMENT-REQUIRED header and an empty body")
        }
        let doc: JSONValue
        do { doc = try JSONParser(maxBytes: maxDocumentBytes).parse(body) } catch {
            throw X402Error(.noPaymentInfo, "the 402 response has no PAYMENT-REQUIRED header and its body is not x402 JSON (\(error.message))")
        }
        guard case let .object(o) = doc, o["x402Version"] != nil else {
            throw X402Error(.noPaymentInfo, "the 402 response has no PAYMENT-REQUIRED header and its body has no x402Version")
        }
        return try parseDocument(doc, source: .body, context: "body")
    }

    /// Parses the bytes of a decoded offer document.
    public static func parseDocument(_ bytes: [UInt8], source: PaymentRequired.Source, context: String) throws(X402Error) -> PaymentRequired {
        let doc: JSONValue
        do { doc = try JSONParser(maxBytes: maxDocumentBytes).parse(bytes) } catch {
            throw X402Error(.badJSON, field: context, error.message)
        }
        return try parseDocument(doc, source: source, context: context)
    }

    /// Parses an already-decoded offer document.
    public static func parseDocument(_ doc: JSONValue, source: PaymentRequired.Source, context: String) throws(X402Error) -> PaymentRequired {
        guard case let .object(o) = doc else {
            throw X402Error(.notAnObject, field: context, "expected a JSON object, got \(doc.typeName)")
        }
        guard let versionValue = o["x402Version"] else { throw X402Error(.missingField, field: "x402Version", "is required") }
        guard let version = versionValue.int64Value else {
            throw X402Error(.wrongType, field: "x402Version", "must be an integer, got \(versionValue.typeName)")
        }
        guard version == 1 || version == 2 else {
            throw X402Error(.unsupportedVersion, field: "x402Version", "version \(version) is not supported (Purse speaks x402 v1 and v2)")
        }
        let error = try optionalString(o, "error")
        var resource: JSONValue?
        if let r = o["resource"], !r.isNull {
            if version == 2 {
                guard case .object = r else { throw X402Error(.wrongType, field: "resource", "must be an object, got \(r.typeName)") }
            }
            resource = r
        }
        var extensions: JSONObject?
        if let e = o["extensions"], !e.isNull {
            guard case let .object(eo) = e else { throw X402Error(.wrongType, field: "extensions", "must be an object, got \(e.typeName)") }
            extensions = eo
        }
        guard let acceptsValue = o["accepts"] else { throw X402Error(.missingField, field: "accepts", "is required") }
        guard case let .array(entries) = acceptsValue else {
            throw X402Error(.wrongType, field: "accepts", "must be an array, got \(acceptsValue.typeName)")
        }
        guard !entries.isEmpty else { throw X402Error(.noRequirements, field: "accepts", "the server offers no way to pay") }
        guard entries.count <= maxOptions else {
            throw X402Error(.badValue, field: "accepts", "has \(entries.count) options; Purse looks at no more than \(maxOptions)")
        }
        var accepts = [PaymentRequirement]()
        var problems = [RequirementProblem]()
        for (i, entry) in entries.enumerated() {
            do {
                accepts.append(try requirement(entry, index: i, version: Int(version)))
            } catch {
                problems.append(RequirementProblem(index: i, error: error, raw: entry))
            }
        }
        return PaymentRequired(
            x402Version: Int(version), source: source, error: error, resource: resource,
            extensions: extensions, accepts: accepts, problems: problems, raw: doc)
    }

    /// Parses one `accepts` entry.
    static func requirement(_ entry: JSONValue, index: Int, version: Int) throws(X402Error) -> PaymentRequirement {
        let path = "accepts[\(index)]"
        guard case let .object(o) = entry else {
            throw X402Error(.notAnObject, field: path, "must be an object, got \(entry.typeName)")
        }
        let scheme = try requiredString(o, "scheme", path)
        let network = try requiredString(o, "network", path)
        let amountText = try optionalString(o, "amount", path)
        let maxAmountText = try optionalString(o, "maxAmountRequired", path)
        let amount: AtomicAmount
        switch (amountText, maxAmountText) {
        case let (a?, m?):
            let av = try AtomicAmount(parsing: a, field: "\(path).amount")
            let mv = try AtomicAmount(parsing: m, field: "\(path).maxAmountRequired")
            guard av == mv else {
                throw X402Error(.badValue, field: path, "amount (\(a)) and maxAmountRequired (\(m)) disagree")
            }
            amount = av
        case let (a?, nil): amount = try AtomicAmount(parsing: a, field: "\(path).amount")
        case let (nil, m?): amount = try AtomicAmount(parsing: m, field: "\(path).maxAmountRequired")
        case (nil, nil):
            throw X402Error(.missingField, field: "\(path).\(version == 1 ? "maxAmountRequired" : "amount")", "is required")
        }
        let asset = try requiredString(o, "asset", path)
        let payTo = try requiredString(o, "payTo", path)
        guard let timeoutValue = o["maxTimeoutSeconds"] else {
            throw X402Error(.missingField, field: "\(path).maxTimeoutSeconds", "is required")
        }
        guard let timeout = timeoutValue.int64Value else {
            throw X402Error(.wrongType, field: "\(path).maxTimeoutSeconds", "must be an integer, got \(timeoutValue.typeName) \(clip(timeoutValue.encoded()))")
        }
        guard timeout >= 1, timeout <= 86_400 else {
            throw X402Error(.badValue, field: "\(path).maxTimeoutSeconds", "\(timeout) is outside 1…86400 seconds")
        }
        var extra: JSONObject?
        if let e = o["extra"] {
            switch e {
            case .null: extra = nil
            case let .object(eo): extra = eo
            default: throw X402Error(.wrongType, field: "\(path).extra", "must be an object, got \(e.typeName)")
            }
        }
        let resource = try optionalString(o, "resource", path)
        for key in ["description", "mimeType"] { _ = try optionalString(o, key, path) }
        return PaymentRequirement(
            index: index, x402Version: version, scheme: scheme, networkText: network, amount: amount,
            asset: asset, payTo: payTo, maxTimeoutSeconds: timeout, extra: extra, resource: resource, raw: entry)
    }

    static func requiredString(_ o: JSONObject, _ key: String, _ path: String) throws(X402Error) -> String {
        guard let v = o[key] else { throw X402Error(.missingField, field: "\(path).\(key)", "is required") }
        guard case let .string(s) = v else {
            throw X402Error(.wrongType, field: "\(path).\(key)", "must be a string, got \(v.typeName)")
        }
        guard !s.isEmpty else { throw X402Error(.badValue, field: "\(path).\(key)", "is empty") }
        return s
    }

    static func optionalString(_ o: JSONObject, _ key: String, _ path: String? = nil) throws(X402Error) -> String? {
        guard let v = o[key], !v.isNull else { return nil }
        guard case let .string(s) = v else {
            throw X402Error(.wrongType, field: path.map { "\($0).\(key)" } ?? key, "must be a string, got \(v.typeName)")
        }
        return s
    }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
}
