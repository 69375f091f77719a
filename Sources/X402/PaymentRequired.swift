import PurseCore

/// A server's 402 offer, normalized: every option it accepts, and what it said around them.
public struct PaymentRequired: Sendable, Equatable {
    /// Where the offer was found.
    public enum Source: String, Sendable {
        /// The v2 `PAYMENT-REQUIRED` header.
        case header
        /// The JSON body (v1, or a v2 object some servers put there).
        case body
        /// An MCP tool result (`structuredContent`, a text block, `_meta["x402/error"]`) or a
        /// JSON-RPC error's `data`: the MCP binding.
        case toolResult
    }

    /// The protocol version (1 or 2).
    public let x402Version: Int
    /// Where the offer was found.
    public let source: Source
    /// The server's `error` text, if any.
    public let error: String?
    /// The v2 `resource` object, echoed in the payload.
    public let resource: JSONValue?
    /// The v2 `extensions` object, echoed in the payload.
    public let extensions: JSONObject?
    /// The options that parsed.
    public let accepts: [PaymentRequirement]
    /// The options that did not parse, with reasons.
    public let problems: [RequirementProblem]
    /// The whole decoded document.
    public let raw: JSONValue

    /// Whether the server advertised the `payment-identifier` extension (an idempotency key).
    public var advertisesPaymentIdentifier: Bool { extensions?["payment-identifier"]?.objectValue != nil }

    /// The `sign-in-with-x` challenge, when the server offers one: nil when absent, a failure
    /// when present but unreadable (then Purse simply does not sign in).
    public var signInChallenge: Result<SignInChallenge, X402Error>? {
        guard let value = extensions?[SignInChallenge.extensionKey] else { return nil }
        do throws(X402Error) { return .success(try SignInChallenge.parse(value)) } catch { return .failure(error) }
    }

    /// Whether the server requires a payment identifier (`extensions["payment-identifier"].info.required`).
    public var requiresPaymentIdentifier: Bool {
        extensions?["payment-identifier"]?["info"]?["required"]?.boolValue == true
    }
}
