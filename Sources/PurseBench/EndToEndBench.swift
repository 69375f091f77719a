import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet

/// A paid request against a fast local seller vs the floor of two plain round trips to it.
struct EndToEndBench {
    let seller: String
    let runs: Int

    func run() async throws -> JSONValue {
        guard !seller.isEmpty else { throw PurseError("bench.usage", "e2e needs --seller URL (bench/fast_seller.py)") }
        let rig = try BenchRig()
        defer { rig.cleanup() }
        let http = CurlHTTPClient()
        let driver = PaymentDriver(http: http, ledger: rig.ledger, signer: KeySigner(key: rig.key), config: rig.config, sessionID: rig.session.id)
        var paid = [Double](), floor = [Double](), verify = [Double]()
        for i in 0..<(runs + 10) {
            let t0 = nowMs()
            _ = try await http.send(HTTPRequest(url: seller + "/plain"))
            _ = try await http.send(HTTPRequest(url: seller + "/plain"))
            let t1 = nowMs()
            let result = await driver.fetch(HTTPRequest(url: seller + "/paid"))
            let t2 = nowMs()
            guard case .paid = result.outcome.kind else { throw PurseError("bench.unpaid", "the fast seller did not grant: \(result.summary)") }
            if i < 10 { continue }
            floor.append(t1 - t0)
            paid.append(t2 - t1)
            if let v = result.response?.headers["X-Verify-Micros"], let us = Double(v) { verify.append(us / 1_000) }
        }
        let p = Stats(paid), f = Stats(floor), v = Stats(verify)
        return [
            "runs": .integer(runs),
            "purse_paid_request_ms": ["median": .number(fmt(p.median)), "p99": .number(fmt(p.p99))],
            "floor_two_plain_round_trips_ms": ["median": .number(fmt(f.median)), "p99": .number(fmt(f.p99))],
            "seller_verify_ms": ["median": .number(fmt(v.median))],
            "ratio_to_floor_plus_verify": .number(String(format: "%.3f", p.median / max(0.001, f.median + v.median))),
        ]
    }
}
