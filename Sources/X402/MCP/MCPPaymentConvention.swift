/// Which of the three payment-required conventions met in the wild an MCP upstream speaks
/// (x402-protocol.md §1.4, §9.4). It is read from the upstream's own unpaid answer, so the paid
/// retry is shaped before anything is signed: Purse never guesses after paying.
public enum MCPPaymentConvention: String, Sendable, Equatable, CaseIterable {
    /// The x402 specification: `isError` and `structuredContent` = PaymentRequired (or a
    /// JSON-RPC error 402 whose `data` is one); the payment goes back as a JSON object.
    case spec
    /// The same JSON as a text block only (servers that drop `structuredContent`); the payment
    /// goes back as a JSON object.
    case text
    /// Cloudflare `agents`: `_meta["x402/error"]` = PaymentRequired; the payment goes back as a
    /// base64 string of the PaymentPayload JSON.
    case cloudflare

    /// How this convention wants `_meta["x402/payment"]`.
    public var paymentEncoding: MCPPaymentEncoding { self == .cloudflare ? .base64String : .object }
}

/// How the PaymentPayload travels in `_meta["x402/payment"]`.
public enum MCPPaymentEncoding: String, Sendable, Equatable {
    /// The payload document itself, as a JSON object (the specification).
    case object
    /// Padded standard base64 of the payload's compact JSON (Cloudflare `agents`).
    case base64String
}
