import PurseCore

/// A signed sign-in: the `SIGN-IN-WITH-X` header value, padded standard base64 of the JSON of
/// the challenge's fields plus the signer's `address`, `chainId`, `type` and `signature`.
public struct SignInCredential: Sendable, Equatable {
    /// What was signed.
    public let message: SignInMessage
    /// The 65-byte EIP-191 signature r‖s‖v (v = 27/28).
    public let signature: [UInt8]

    /// Creates a credential.
    public init(message: SignInMessage, signature: [UInt8]) {
        self.message = message
        self.signature = signature
    }

    /// The JSON document of the header.
    public var document: JSONValue {
        let c = message.challenge
        var o = JSONObject()
        o["domain"] = .string(c.domain)
        o["address"] = .string(message.address.checksummed)
        if let s = c.statement { o["statement"] = .string(s) }
        o["uri"] = .string(c.uri)
        o["version"] = .string(c.version)
        o["chainId"] = .string(message.chain)
        o["type"] = "eip191"
        o["nonce"] = .string(c.nonce)
        o["issuedAt"] = .string(c.issuedAt)
        if let t = c.expirationTime { o["expirationTime"] = .string(t) }
        if let t = c.notBefore { o["notBefore"] = .string(t) }
        if let r = c.requestId { o["requestId"] = .string(r) }
        if let r = c.resources { o["resources"] = .array(r.map(JSONValue.string)) }
        o["signature"] = .string(Hex.encode(signature))
        return .object(o)
    }

    /// The header value.
    public var headerValue: String { Base64.encode(document.encodedBytes()) }
}
