import EVM
import Foundation
import HTTP
import PurseCore
import PurseTesting
import Wallet
import X402

/// The whole payment driver with an in-memory transport (and, for schemes that ask it, an
/// in-memory chain): time from the 402 handed back to the paid request arriving — parse,
/// select, plan, reserve, mark sent, sign, encode and the task scheduling between them. One
/// harness for every scheme's client-work bench, so their driver figures are comparable.
enum InMemoryDriverBench {
    /// Times `runs` payments (at most 1,000, after 20 warm-ups) of `required` at `path`,
    /// answered with `receipt` as the PAYMENT-RESPONSE.
    static func run(rig: BenchRig, runs: Int, required: HTTPResponse, receipt: JSONValue, chain: (any ChainReader)? = nil,
                    path: String) async throws -> Stats {
        final class Clock: @unchecked Sendable {
            let lock = NSLock()
            var handedBack = 0.0
            var samples = [Double]()
        }
        let clock = Clock()
        let ok = HTTPResponse(status: 200, headers: HTTPHeaders([("PAYMENT-RESPONSE", Base64.encode(receipt.encodedBytes()))]), body: Array("{}".utf8),
                              truncated: false, redirectLocation: nil, effectiveURL: "")
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            if r.headers["PAYMENT-SIGNATURE"] != nil {
                let t = nowMs()
                clock.lock.withLock { clock.samples.append(t - clock.handedBack) }
                return ok
            }
            clock.lock.withLock { clock.handedBack = nowMs() }
            return required
        }
        let driver = PaymentDriver(http: http, ledger: rig.ledger, signer: KeySigner(key: rig.key), config: rig.config, sessionID: rig.session.id,
                                   chain: chain)
        let n = min(runs, 1_000)
        for _ in 0..<(n + 20) { _ = await driver.fetch(HTTPRequest(url: "http://127.0.0.1" + path)) }
        return Stats(Array(clock.samples.dropFirst(20)))
    }

    /// A settled receipt on Base Sepolia, with `amount` when the scheme settles an actual amount.
    static func receipt(amount: String? = nil) -> JSONValue {
        var o: JSONObject = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532"]
        if let amount { o["amount"] = .string(amount) }
        return .object(o)
    }
}
