import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet
import X402

/// A wallet set up for benchmarking: a key, a local-token config, a ledger in a temp directory.
struct BenchRig {
    static let token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    static let payTo = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    static let tokenAddress = try! Address(parsing: token)
    static let payToAddress = try! Address(parsing: payTo)

    let key: PrivateKey
    let config: PurseConfig
    let ledger: SQLiteLedger
    let session: SessionRecord
    let dir: URL

    init() throws {
        key = PrivateKey.random()
        let text = #"{"networks":{"eip155:84532":{"rpcUrl":"http://127.0.0.1:1","assets":[{"address":""# + Self.token
            + #"","name":"USDC","version":"2","decimals":6,"symbol":"USDC"}]}},"policy":{"maxPerRequest":"0.10","sessionBudget":"1000000","dailyBudget":"1000000"}}"#
        config = try PurseConfig.parse(Array(text.utf8))
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-bench-\(UUID().uuidString)")
        ledger = try SQLiteLedger(path: dir.appendingPathComponent("bench.db").path)
        session = try ledger.startSession(kind: "bench", label: nil, clientName: nil, now: Date())
    }

    /// A v2 402 response as a server sends it.
    static func paymentRequired(url: String = "http://127.0.0.1/paid") -> HTTPResponse {
        let offer: JSONValue = [
            "x402Version": 2, "error": "Payment required",
            "resource": ["url": .string(url), "description": "bench", "mimeType": "application/json"],
            "accepts": [[
                "scheme": "exact", "network": "eip155:84532", "asset": .string(token), "amount": "10000",
                "payTo": .string(payTo), "maxTimeoutSeconds": 300, "extra": ["name": "USDC", "version": "2"],
            ]],
        ]
        return HTTPResponse(status: 402, headers: HTTPHeaders([("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes())), ("Content-Type", "application/json")]),
                            body: Array("{}".utf8), truncated: false, redirectLocation: nil, effectiveURL: url)
    }

    func cleanup() { try? FileManager.default.removeItem(at: dir) }
}
