import PurseCore

/// A `sign-in-with-x` (SIWx) challenge from a 402: the EIP-4361 fields a wallet that already
/// paid may sign instead of paying again, and the chains the server accepts.
///
/// Parsing only reads the fields; `refusal(origin:chain:now:)` is the one decision on whether
/// Purse may sign it. Every field is kept exactly as the server wrote it, because the server
/// rebuilds the EIP-4361 text from the echoed fields and checks the signature over it.
public struct SignInChallenge: Sendable, Equatable {
    /// The extension's key in `extensions`.
    public static let extensionKey = "sign-in-with-x"
    /// The request header that carries the signed sign-in.
    public static let headerName = "SIGN-IN-WITH-X"

    /// One chain the server accepts a sign-in for.
    public struct SupportedChain: Sendable, Equatable {
        /// The CAIP-2 chain id (`eip155:84532`).
        public let chainId: String
        /// The signature type (`eip191` for EVM wallets).
        public let type: String
    }

    /// The `host[:port]` the sign-in is for (EIP-4361 `domain`).
    public let domain: String
    /// The resource URI.
    public let uri: String
    /// The EIP-4361 version (`1`).
    public let version: String
    /// The server's nonce.
    public let nonce: String
    /// When the server issued the challenge (RFC 3339).
    public let issuedAt: String
    /// When the sign-in stops being valid (RFC 3339), if given.
    public let expirationTime: String?
    /// When the sign-in starts being valid (RFC 3339), if given.
    public let notBefore: String?
    /// A human-readable statement, if given.
    public let statement: String?
    /// A request id, if given.
    public let requestId: String?
    /// Resources listed in the message, if given.
    public let resources: [String]?
    /// The chains the server accepts.
    public let supportedChains: [SupportedChain]

    /// Creates a challenge (normally `parse(_:)` does).
    public init(domain: String, uri: String, version: String, nonce: String, issuedAt: String, expirationTime: String? = nil,
                notBefore: String? = nil, statement: String? = nil, requestId: String? = nil, resources: [String]? = nil,
                supportedChains: [SupportedChain]) {
        self.domain = domain
        self.uri = uri
        self.version = version
        self.nonce = nonce
        self.issuedAt = issuedAt
        self.expirationTime = expirationTime
        self.notBefore = notBefore
        self.statement = statement
        self.requestId = requestId
        self.resources = resources
        self.supportedChains = supportedChains
    }

    /// Reads the challenge from the extension's value `{info: {...}, supportedChains: [...]}`.
    ///
    /// - Throws: `X402Error` naming the field that is missing or of the wrong type.
    public static func parse(_ value: JSONValue) throws(X402Error) -> SignInChallenge {
        let base = "extensions.sign-in-with-x"
        guard case let .object(ext) = value else { throw X402Error(.wrongType, field: base, "must be an object") }
        guard case let .object(info)? = ext["info"] else { throw X402Error(.missingField, field: "\(base).info", "must be an object") }
        func text(_ key: String, required: Bool) throws(X402Error) -> String? {
            guard let v = info[key], !v.isNull else {
                if required { throw X402Error(.missingField, field: "\(base).info.\(key)", "is required") }
                return nil
            }
            guard case let .string(s) = v else { throw X402Error(.wrongType, field: "\(base).info.\(key)", "must be a string, got \(v.typeName)") }
            return s
        }
        var resources: [String]?
        if let r = info["resources"], !r.isNull {
            guard case let .array(items) = r else { throw X402Error(.wrongType, field: "\(base).info.resources", "must be an array") }
            resources = []
            for (i, item) in items.enumerated() {
                guard case let .string(s) = item else { throw X402Error(.wrongType, field: "\(base).info.resources[\(i)]", "must be a string") }
                resources?.append(s)
            }
        }
        var chains: [SupportedChain] = []
        if let c = ext["supportedChains"], !c.isNull {
            guard case let .array(items) = c else { throw X402Error(.wrongType, field: "\(base).supportedChains", "must be an array") }
            for (i, item) in items.enumerated() {
                guard let id = item["chainId"]?.stringValue, let type = item["type"]?.stringValue else {
                    throw X402Error(.wrongType, field: "\(base).supportedChains[\(i)]", "must be {chainId, type} strings")
                }
                chains.append(SupportedChain(chainId: id, type: type))
            }
        }
        return SignInChallenge(
            domain: try text("domain", required: true)!, uri: try text("uri", required: true)!,
            version: try text("version", required: false) ?? "1", nonce: try text("nonce", required: true)!,
            issuedAt: try text("issuedAt", required: true)!, expirationTime: try text("expirationTime", required: false),
            notBefore: try text("notBefore", required: false), statement: try text("statement", required: false),
            requestId: try text("requestId", required: false), resources: resources, supportedChains: chains)
    }

    /// Why Purse must not sign this challenge for a request to `origin` with a wallet that paid
    /// on `chain`, or nil when it may.
    ///
    /// The message is signed only when its `domain` is the request's own `host[:port]`, its `uri`
    /// has the request's own origin (scheme included, so an `https` request never signs for
    /// `http`), it offers `chain` with `eip191`, it is within its validity window at `now`, and
    /// every field is a single line that EIP-4361 allows.
    public func refusal(origin: WebOrigin, chain: String, now: Int64) -> SignInRefusal? {
        for (name, value) in [("domain", domain), ("uri", uri), ("version", version), ("nonce", nonce), ("issuedAt", issuedAt),
                              ("expirationTime", expirationTime ?? ""), ("notBefore", notBefore ?? ""),
                              ("statement", statement ?? ""), ("requestId", requestId ?? "")] + (resources ?? []).map({ ("resources", $0) })
        where value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            return SignInRefusal(.badChallenge, "the challenge's \(name) contains a line break or control character")
        }
        if let statement, statement.isEmpty { return SignInRefusal(.badChallenge, "the challenge's statement is empty") }
        guard version == "1" else { return SignInRefusal(.badChallenge, "EIP-4361 version '\(Self.clip(version))' is not 1") }
        guard nonce.utf8.count >= 8, nonce.utf8.count <= 128, nonce.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) }) else {
            return SignInRefusal(.badChallenge, "the challenge's nonce is not 8 or more letters and digits")
        }
        guard let domainOrigin = WebOrigin.parseAuthority(domain, scheme: origin.scheme), domainOrigin == origin else {
            return SignInRefusal(.domainMismatch, "the challenge is for domain '\(Self.clip(domain))', not for \(origin.authority) that asked")
        }
        guard let uriOrigin = WebOrigin.parse(uri), uriOrigin == origin else {
            return SignInRefusal(.uriMismatch, "the challenge's uri '\(Self.clip(uri))' is not on \(origin.serialized) that asked")
        }
        guard supportedChains.contains(where: { $0.chainId == chain && $0.type == "eip191" }) else {
            let offered = supportedChains.map { "\($0.chainId)/\($0.type)" }.joined(separator: ", ")
            return SignInRefusal(.chainNotOffered, "the challenge accepts \(offered.isEmpty ? "no chain" : Self.clip(offered)), not \(chain) (where this wallet paid) with eip191")
        }
        guard let issued = Timestamp.unixSeconds(issuedAt) else { return SignInRefusal(.badChallenge, "issuedAt '\(Self.clip(issuedAt))' is not an RFC 3339 time") }
        if issued > now + Self.clockSkew { return SignInRefusal(.badChallenge, "the challenge was issued in the future (\(issuedAt))") }
        if let expirationTime {
            guard let t = Timestamp.unixSeconds(expirationTime) else { return SignInRefusal(.badChallenge, "expirationTime is not an RFC 3339 time") }
            if t <= now { return SignInRefusal(.expired, "the challenge expired at \(expirationTime)") }
        }
        if let notBefore {
            guard let t = Timestamp.unixSeconds(notBefore) else { return SignInRefusal(.badChallenge, "notBefore is not an RFC 3339 time") }
            if t > now + Self.clockSkew { return SignInRefusal(.notYetValid, "the challenge is not valid before \(notBefore)") }
        }
        return nil
    }

    /// How far ahead of Purse's clock a server's clock may run.
    public static let clockSkew: Int64 = 60

    static func clip(_ s: String) -> String { s.count > 80 ? String(s.prefix(80)) + "…" : s }
}
