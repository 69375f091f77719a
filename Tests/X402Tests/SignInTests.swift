import PurseCore
import Testing
@testable import X402

/// Sign-in-with-x: the challenge, the decision to sign it, the EIP-4361 text (checked against the
/// `siwe` package's `prepare_message`) and the header.
@Suite struct SignInTests {
    static let payer = try! Address(parsing: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    static let origin = WebOrigin(scheme: "http", host: "127.0.0.1", port: 34373)
    /// 2026-11-30T08:50:00Z
    static let now: Int64 = 1_796_028_600

    static func challenge(domain: String = "127.0.0.1:34373", uri: String = "http://127.0.0.1:34373/siwx-weather",
                          expiration: String? = "2026-11-30T08:53:07.680582Z", notBefore: String? = nil, statement: String? = "Sign in to the Purse test weather",
                          chains: [(String, String)] = [("eip155:84532", "eip191")], nonce: String = "d6ae9f2119f61692def2b4de3b0135cb") -> SignInChallenge {
        SignInChallenge(domain: domain, uri: uri, version: "1", nonce: nonce, issuedAt: "2026-11-30T08:48:07.680564Z",
                        expirationTime: expiration, notBefore: notBefore, statement: statement, resources: ["http://127.0.0.1:34373/siwx-weather"],
                        supportedChains: chains.map { .init(chainId: $0.0, type: $0.1) })
    }

    @Test func timestampsParse() {
        #expect(Timestamp.unixSeconds("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.unixSeconds("2026-11-30T08:48:07.680564Z") == 1_796_028_487)
        #expect(Timestamp.unixSeconds("2026-11-30T10:48:07+02:00") == 1_796_028_487)
        #expect(Timestamp.unixSeconds("2024-02-29T00:00:00Z") == 1_709_164_800)
        for bad in ["", "2026-11-30", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-30T08:48:07", "2026-11-30T08:48:07Zjunk", "2026-11-30T08:48:07.Z"] {
            #expect(Timestamp.unixSeconds(bad) == nil, "\(bad)")
        }
    }

    @Test func theWorldsChallengeParses() throws {
        let ext: JSONValue = [
            "info": ["domain": "127.0.0.1:34373", "uri": "http://127.0.0.1:34373/siwx-weather", "version": "1", "nonce": "d6ae9f2119f61692def2b4de3b0135cb",
                     "issuedAt": "2026-11-30T08:48:07.680564Z", "expirationTime": "2026-11-30T08:53:07.680582Z",
                     "statement": "Sign in to the Purse test weather", "resources": ["http://127.0.0.1:34373/siwx-weather"]],
            "supportedChains": [["chainId": "eip155:84532", "type": "eip191"]],
            "schema": ["type": "object"],
        ]
        #expect(try SignInChallenge.parse(ext) == Self.challenge())
        #expect(throws: X402Error.self) { try SignInChallenge.parse(["info": ["domain": 7]]) }
    }

    @Test func aChallengeForTheRequestsOwnOriginIsSignable() {
        #expect(Self.challenge().refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now) == nil)
        // The default port is the same origin written either way.
        let https = WebOrigin(scheme: "https", host: "api.example.com", port: 443)
        #expect(Self.challenge(domain: "api.example.com", uri: "https://API.example.com:443/x").refusal(origin: https, chain: "eip155:84532", now: Self.now) == nil)
    }

    @Test(arguments: [
        ("other.invalid", "http://127.0.0.1:34373/siwx-weather", SignInRefusal.Kind.domainMismatch),
        ("127.0.0.1:34374", "http://127.0.0.1:34373/siwx-weather", .domainMismatch),
        ("127.0.0.1", "http://127.0.0.1:34373/siwx-weather", .domainMismatch),
        ("evil@127.0.0.1:34373", "http://127.0.0.1:34373/siwx-weather", .domainMismatch),
        ("127.0.0.1:34373", "http://other.invalid/siwx-other-domain", .uriMismatch),
        ("127.0.0.1:34373", "https://127.0.0.1:34373/siwx-weather", .uriMismatch),
        ("127.0.0.1:34373", "http://user@127.0.0.1:34373/", .uriMismatch),
        ("127.0.0.1:34373", "/siwx-weather", .uriMismatch),
    ])
    func anotherOriginIsRefused(domain: String, uri: String, kind: SignInRefusal.Kind) {
        #expect(Self.challenge(domain: domain, uri: uri).refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == kind)
    }

    @Test func anotherChainExpiredOrMalformedIsRefused() {
        let c = Self.challenge(chains: [("eip155:1", "eip191")])
        #expect(c.refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .chainNotOffered)
        #expect(Self.challenge(chains: [("eip155:84532", "eip1271")]).refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .chainNotOffered)
        #expect(Self.challenge(expiration: "2026-11-30T07:50:00Z").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .expired)
        #expect(Self.challenge(notBefore: "2026-11-30T09:50:00Z").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .notYetValid)
        #expect(Self.challenge(expiration: "tomorrow").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .badChallenge)
        #expect(Self.challenge(statement: "Sign in\nURI: http://evil.example/").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .badChallenge)
        #expect(Self.challenge(nonce: "short").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .badChallenge)
        #expect(Self.challenge(nonce: "has spaces in it").refusal(origin: Self.origin, chain: "eip155:84532", now: Self.now)?.kind == .badChallenge)
    }

    @Test func theMessageIsTheSiweText() throws {
        let m = try #require(SignInMessage(challenge: Self.challenge(), address: Self.payer, chain: "eip155:84532"))
        #expect(m.text == "127.0.0.1:34373 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in to the Purse test weather\n\nURI: http://127.0.0.1:34373/siwx-weather\nVersion: 1\nChain ID: 84532\nNonce: d6ae9f2119f61692def2b4de3b0135cb\nIssued At: 2026-11-30T08:48:07.680564Z\nExpiration Time: 2026-11-30T08:53:07.680582Z\nResources:\n- http://127.0.0.1:34373/siwx-weather")
        let bare = SignInChallenge(domain: "api.example.com", uri: "https://api.example.com/data", version: "1", nonce: "abcdef0123456789",
                                   issuedAt: "2026-01-02T03:04:05Z", notBefore: "2026-01-02T03:04:00Z", requestId: "req-7",
                                   supportedChains: [.init(chainId: "eip155:8453", type: "eip191")])
        let m2 = try #require(SignInMessage(challenge: bare, address: Self.payer, chain: "eip155:8453"))
        #expect(m2.text == "api.example.com wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\n\nURI: https://api.example.com/data\nVersion: 1\nChain ID: 8453\nNonce: abcdef0123456789\nIssued At: 2026-01-02T03:04:05Z\nNot Before: 2026-01-02T03:04:00Z\nRequest ID: req-7")
        #expect(SignInMessage(challenge: bare, address: Self.payer, chain: "solana:abc") == nil)
    }

    @Test func theHeaderEchoesTheChallengeAndTheSigner() throws {
        let m = try #require(SignInMessage(challenge: Self.challenge(), address: Self.payer, chain: "eip155:84532"))
        let credential = SignInCredential(message: m, signature: Array(repeating: 0x11, count: 64) + [0x1b])
        let doc = try JSONValue.parse(try Base64.decode(credential.headerValue))
        #expect(doc == credential.document)
        #expect(doc["address"] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(doc["chainId"] == "eip155:84532" && doc["type"] == "eip191")
        #expect(doc["nonce"] == "d6ae9f2119f61692def2b4de3b0135cb" && doc["issuedAt"] == "2026-11-30T08:48:07.680564Z")
        #expect(doc["signature"]?.stringValue?.count == 132)
        #expect(credential.headerValue.allSatisfy { $0.isLetter || $0.isNumber || "+/=".contains($0) })
    }
}
