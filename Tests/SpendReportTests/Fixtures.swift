import Foundation
import Ledger
import PurseCore

/// Payment records and spend logs for the report tests, built in memory (no ledger file).
enum Fixtures {
    /// 2026-11-30 12:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_796_040_000)
    static let serve = SessionRecord(id: "s_serveaaaaaaa", startedAt: now.addingTimeInterval(-3_600), kind: "serve", label: "claude desktop",
                                     clientName: "claude-ai", pid: 10, machine: "laptop-1")
    static let fetch = SessionRecord(id: "s_fetchbbbbbbb", startedAt: now.addingTimeInterval(-86_400 * 3), kind: "fetch", label: nil,
                                     clientName: nil, pid: 11, machine: nil)
    static let asset = try! Address(parsing: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913")
    static let payTo = try! Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C")
    static let payer = try! Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66")

    /// A payment of `atomic` 6-decimal units to `host`, `ago` seconds before `now`.
    static func payment(_ id: Int64, session: String = serve.id, host: String = "api.example.com", atomic: Int64 = 10_000,
                        status: PaymentStatus = .settled, network: String = "eip155:8453", tx: String? = nil, error: String? = nil,
                        version: Int = 2, ago: TimeInterval = 60) -> PaymentRecord {
        var nonce = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: id.bigEndian) { nonce.replaceSubrange(24..<32, with: $0) }
        return PaymentRecord(
            id: id,
            payment: NewPayment(sessionID: session, method: "GET", url: "https://\(host)/x", host: HostName(host), network: network,
                                asset: asset, assetSymbol: "USDC", decimals: 6, payTo: payTo, amountAtomic: atomic, micros: Micros(atomic),
                                scheme: "exact", x402Version: version, nonce: try! Nonce32(bytes: nonce), validBefore: 1_796_040_300,
                                payer: payer),
            createdAt: now.addingTimeInterval(-ago), updatedAt: now.addingTimeInterval(-ago + 1), status: status,
            txHash: tx ?? (status == .settled ? txHash(id) : nil), error: error, httpStatus: status == .settled ? 200 : nil)
    }

    /// A well-formed transaction hash derived from `id`.
    static func txHash(_ id: Int64) -> String {
        let hex = String(id, radix: 16)
        return "0x" + String(repeating: "a", count: 64 - hex.count) + hex
    }

    static let limits = BudgetLimits(perRequest: Micros(100_000), session: Micros(1_000_000), daily: Micros(5_000_000),
                                     perHostDaily: [HostName("api.example.com"): Micros(50_000)])

    /// The mixed ledger: settled, v1, released, unknown, sent, an MCP tool, two sessions, three days.
    static let mixed: [PaymentRecord] = [
        payment(7, host: "mcp:weather", atomic: 20_000, ago: 30),
        payment(6, host: "api.example.com", atomic: 10_000, status: .unknown, error: "no answer to the paid request", ago: 40),
        payment(5, host: "api.example.com", atomic: 10_000, status: .sent, ago: 50),
        payment(4, host: "api.example.com", atomic: 200_000_000, status: .failed, error: "invalid_exact_evm_insufficient_balance", ago: 60),
        payment(3, host: "v1.example.org", atomic: 10_000, version: 1, ago: 70),
        payment(2, session: fetch.id, host: "api.example.com", atomic: 10_000, ago: 86_400 + 100),
        payment(1, session: fetch.id, host: "api.example.com", atomic: 30_000, ago: 86_400 * 2 + 100),
    ]

    static let usage = BudgetUsage(sessionID: serve.id, sessionSpent: Micros(50_000), dailySpent: Micros(50_000),
                                   hostDailySpent: [HostName("api.example.com"): Micros(20_000)], sessionPending: Micros(20_000))

    static func log(_ payments: [PaymentRecord] = mixed, current: String? = serve.id) -> SpendLogReport {
        SpendLogReport(payments: payments, sessions: [serve, fetch], limits: limits, usage: usage, currentSessionID: current, now: now)
    }
}
