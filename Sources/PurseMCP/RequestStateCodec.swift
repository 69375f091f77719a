// PurseMCP: the MCP face of the Purse wallet.
import Crypto
import Foundation
import Ledger
import PurseCore

/// Seals and opens the `requestState` of an input-required approval round trip (MCP 2026-07-28).
///
/// The client echoes the state back with the human's answer, and the spec asks servers to treat
/// that echo as attacker-controlled. The state therefore carries everything the answer is bound
/// to, signed with HMAC-SHA256 under a key that exists only in this process:
/// - the tool and a digest of its exact arguments (the retry must be the same call);
/// - the payment terms the human was shown (`ApprovalTerms`: payee, host, network, token, payer,
///   amount), which the retried payment must stay within;
/// - an issue and an expiry time (`payment.approvalTimeoutSeconds`: the human's time to answer);
/// - a random id, remembered once opened, so a state is good for one retry only.
///
/// Format: `v1.` + base64(claims JSON) + `.` + hex(HMAC-SHA256(key, "v1." + base64 part)). The
/// claims are readable by the client (nothing in them is secret) but not alterable. A restart
/// makes a new key, so a state minted before it is refused (the client asks again). The Python
/// SDK's `mcp/server/request_state.py` binds the same request identity (method, target,
/// argument digest) and answers a bad state the same way: -32602 "Invalid or expired requestState".
final class RequestStateCodec: @unchecked Sendable {
    /// What a sealed state says.
    struct Claims: Equatable, Sendable {
        /// Random, for replay detection.
        var id: String
        /// When it was sealed, Unix milliseconds.
        var issuedAt: Int64
        /// When it stops being accepted, Unix milliseconds.
        var expiresAt: Int64
        /// The tool the round trip belongs to.
        var tool: String
        /// `argumentsDigest` of the call's arguments.
        var arguments: String
        /// What the human is asked to approve.
        var terms: ApprovalTerms
    }

    /// Why a state was refused (the reason goes to the log and to `data.code`).
    enum Failure: Error, Equatable, Sendable {
        /// Not a token this codec could have made.
        case malformed
        /// The signature does not match: altered, or sealed under another key (before a restart).
        case forged
        /// Past its expiry (the human did not answer in time), or issued in the future.
        case expired
        /// Sealed for another tool or other arguments.
        case wrongRequest
        /// Already opened once.
        case replayed

        /// The `approval.*` code put in the error's `data`.
        var code: String {
            switch self {
            case .malformed, .forged, .wrongRequest: "approval.state_invalid"
            case .expired: "approval.state_expired"
            case .replayed: "approval.state_reused"
            }
        }

        /// The JSON-RPC error a refused state is answered with.
        var rpcError: RPCError {
            .invalidParams("Invalid or expired requestState", data: ["reason": "invalid_request_state", "code": .string(code)])
        }
    }

    private static let prefix = "v1"
    private let key: SymmetricKey
    private let lock = NSLock()
    private var opened: [String: Int64] = [:]  // id → expiry, until the expiry passes

    /// A codec with a key of its own (random unless given, for tests).
    init(key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.key = key
    }

    /// Seals `claims`.
    func seal(_ claims: Claims) -> String {
        let t = claims.terms
        let doc: JSONValue = [
            "v": 1, "id": .string(claims.id), "iat": .integer(claims.issuedAt), "exp": .integer(claims.expiresAt),
            "tool": .string(claims.tool), "args": .string(claims.arguments),
            "terms": [
                "host": .string(t.host.name), "network": .string(t.network), "asset": .string(t.asset.text),
                "payTo": .string(t.payTo.text), "payer": .string(t.payer.text), "amount": .string(String(t.amountAtomic)),
            ],
        ]
        let body = Self.prefix + "." + Base64.encode(doc.encodedBytes())
        return body + "." + Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: key)), prefix: false)
    }

    /// Opens a state for the call (`tool`, `arguments`) at `now`: checks the signature, the expiry
    /// and the binding, then marks it opened so that it cannot be used again.
    func open(_ token: String, tool: String, arguments: String, now: Date) -> Result<Claims, Failure> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix, parts[2].count == 64,
              let mac = try? Hex.decode(parts[2], length: 32)
        else { return .failure(.malformed) }
        let body = parts[0] + "." + parts[1]
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(body.utf8), using: key) else { return .failure(.forged) }
        guard let bytes = try? Base64.decode(parts[1]), let doc = try? JSONValue.parse(bytes), let claims = Self.claims(doc) else {
            return .failure(.malformed)
        }
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        guard claims.issuedAt <= nowMs + 60_000, nowMs < claims.expiresAt else { return .failure(.expired) }
        guard claims.tool == tool, claims.arguments == arguments else { return .failure(.wrongRequest) }
        let fresh: Bool = lock.withLock {
            opened = opened.filter { $0.value > nowMs }
            guard opened[claims.id] == nil else { return false }
            opened[claims.id] = claims.expiresAt
            return true
        }
        return fresh ? .success(claims) : .failure(.replayed)
    }

    /// A new random state id.
    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }, prefix: false)
    }

    /// The digest a state binds a call's arguments by: SHA-256 of their canonical JSON (object
    /// keys sorted at every level), so key order does not matter but every value does.
    static func argumentsDigest(_ arguments: JSONObject) -> String {
        Hex.encode(Array(SHA256.hash(data: canonical(.object(arguments)).encodedBytes())), prefix: false)
    }

    private static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .object(o):
            return .object(JSONObject(o.members.sorted { $0.key < $1.key }.map { JSONMember($0.key, canonical($0.value)) }))
        case let .array(a):
            return .array(a.map(canonical))
        default:
            return value
        }
    }

    private static func claims(_ doc: JSONValue) -> Claims? {
        guard doc["v"] == 1, let id = doc["id"]?.stringValue, let iat = doc["iat"]?.int64Value, let exp = doc["exp"]?.int64Value,
              let tool = doc["tool"]?.stringValue, let args = doc["args"]?.stringValue, let t = doc["terms"],
              let host = t["host"]?.stringValue, let network = t["network"]?.stringValue,
              let asset = t["asset"]?.stringValue.flatMap({ try? ChainAccount(parsing: $0) }),
              let payTo = t["payTo"]?.stringValue.flatMap({ try? ChainAccount(parsing: $0) }),
              let payer = t["payer"]?.stringValue.flatMap({ try? ChainAccount(parsing: $0) }),
              let amount = t["amount"]?.stringValue.flatMap({ Int64($0) })
        else { return nil }
        let terms = ApprovalTerms(host: HostName(host), network: network, asset: asset, payTo: payTo, payer: payer, amountAtomic: amount)
        return Claims(id: id, issuedAt: iat, expiresAt: exp, tool: tool, arguments: args, terms: terms)
    }
}
