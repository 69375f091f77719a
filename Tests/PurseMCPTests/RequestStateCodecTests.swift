import Crypto
import Foundation
import Ledger
import PurseCore
import Testing
@testable import PurseMCP

/// The input-required `requestState`: signed, bound to the call and the plan, short-lived, once.
@Suite struct RequestStateCodecTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let nowMs: Int64 = 1_800_000_000_000

    func claims(id: String = RequestStateCodec.newID(), tool: String = "paid_fetch", args: String = "digest") -> RequestStateCodec.Claims {
        RequestStateCodec.Claims(id: id, issuedAt: Self.nowMs, expiresAt: Self.nowMs + 120_000, tool: tool, arguments: args,
                                 terms: PlanFixture.terms)
    }

    @Test func aSealedStateOpensOnceForTheSameCall() {
        let codec = RequestStateCodec()
        let c = claims()
        let token = codec.seal(c)
        #expect(token.hasPrefix("v1."))
        #expect(codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now.addingTimeInterval(5)) == .success(c))
        #expect(codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now.addingTimeInterval(6)) == .failure(.replayed))
    }

    @Test func alteredClaimsAreForgeries() throws {
        let codec = RequestStateCodec()
        let token = codec.seal(claims())
        let parts = token.split(separator: ".").map(String.init)
        var doc = try JSONValue.parse(try Base64.decode(parts[1]))
        guard case var .object(o) = doc, case var .object(terms)? = o["terms"] else { Issue.record("no claims"); return }
        terms["amount"] = "500000"
        o["terms"] = .object(terms)
        doc = .object(o)
        let altered = [parts[0], Base64.encode(doc.encodedBytes()), parts[2]].joined(separator: ".")
        #expect(codec.open(altered, tool: "paid_fetch", arguments: "digest", now: Self.now) == .failure(.forged))
        var mac = Array(parts[2])
        mac[0] = mac[0] == "0" ? "1" : "0"
        #expect(codec.open([parts[0], parts[1], String(mac)].joined(separator: "."), tool: "paid_fetch", arguments: "digest", now: Self.now)
            == .failure(.forged))
        // The same claims under another key (a restarted server) are refused too.
        #expect(RequestStateCodec().open(token, tool: "paid_fetch", arguments: "digest", now: Self.now) == .failure(.forged))
    }

    @Test func aStateForAnotherCallIsRefusedWithoutBeingUsedUp() {
        let codec = RequestStateCodec()
        let token = codec.seal(claims())
        #expect(codec.open(token, tool: "quote", arguments: "digest", now: Self.now) == .failure(.wrongRequest))
        #expect(codec.open(token, tool: "paid_fetch", arguments: "other", now: Self.now) == .failure(.wrongRequest))
        #expect(codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now).isSuccess)
    }

    @Test func expiryAndIssueTimeAreChecked() {
        let codec = RequestStateCodec()
        let token = codec.seal(claims())
        #expect(codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now.addingTimeInterval(120)) == .failure(.expired))
        #expect(codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now.addingTimeInterval(-61)) == .failure(.expired))
    }

    @Test("garbage is malformed", arguments: ["", "v1", "v1.abc", "v2.e30=.00", "v1.!!!." + String(repeating: "0", count: 64), "v1.e30=." + String(repeating: "z", count: 64)])
    func malformed(token: String) {
        let codec = RequestStateCodec()
        let r = codec.open(token, tool: "paid_fetch", arguments: "digest", now: Self.now)
        #expect(r == .failure(.malformed) || r == .failure(.forged))
    }

    @Test func aValidSignatureOverNonsenseIsMalformed() {
        let key = SymmetricKey(size: .bits256)
        let body = "v1." + Base64.encode(Array(#"{"v":1}"#.utf8))
        let mac = Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: key)), prefix: false)
        #expect(RequestStateCodec(key: key).open(body + "." + mac, tool: "paid_fetch", arguments: "d", now: Self.now) == .failure(.malformed))
    }

    @Test func theArgumentDigestIgnoresKeyOrderButNotValues() throws {
        let a = try JSONValue.parse(#"{"url":"https://x.example/a","headers":{"B":"2","A":"1"}}"#).objectValue!
        let b = try JSONValue.parse(#"{"headers":{"A":"1","B":"2"},"url":"https://x.example/a"}"#).objectValue!
        let c = try JSONValue.parse(#"{"headers":{"A":"1","B":"2"},"url":"https://x.example/b"}"#).objectValue!
        #expect(RequestStateCodec.argumentsDigest(a) == RequestStateCodec.argumentsDigest(b))
        #expect(RequestStateCodec.argumentsDigest(a) != RequestStateCodec.argumentsDigest(c))
        #expect(RequestStateCodec.argumentsDigest(a).count == 64)
    }

    @Test func failuresMapToTheReferenceError() {
        let e = RequestStateCodec.Failure.replayed.rpcError
        #expect(e.code == -32602 && e.message == "Invalid or expired requestState")
        #expect(e.data == ["reason": "invalid_request_state", "code": "approval.state_reused"])
        #expect(RequestStateCodec.Failure.forged.code == "approval.state_invalid")
        #expect(RequestStateCodec.Failure.expired.code == "approval.state_expired")
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
