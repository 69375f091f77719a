import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

@Suite struct SpendLogReportTests {
    static let s1 = SessionRecord(id: "s_abcdefghijkl", startedAt: t0, kind: "serve", label: nil, clientName: "claude", pid: 1)
    static let s2 = SessionRecord(id: "s_mnopqrstuvwx", startedAt: t0.addingTimeInterval(-60), kind: "fetch", label: "cli", clientName: nil, pid: 2)

    static func record(_ id: Int64, _ session: String, _ host: String, _ atomic: Int64, _ status: PaymentStatus,
                       tx: String? = nil, error: String? = nil, url: String? = nil, at offset: TimeInterval = 0) -> PaymentRecord {
        PaymentRecord(
            id: id,
            payment: NewPayment(
                sessionID: session, method: "GET", url: url ?? "https://\(host)/x", host: HostName(host), network: "eip155:8453",
                asset: try! Address(parsing: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), assetSymbol: "USDC", decimals: 6,
                payTo: try! Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"), amountAtomic: atomic, micros: Micros(atomic),
                scheme: "exact", x402Version: 2, nonce: try! Nonce32(hex: "0x" + String(repeating: "ab", count: 32)),
                validBefore: 1_795_000_600, payer: try! Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66")),
            createdAt: t0.addingTimeInterval(offset), updatedAt: t0.addingTimeInterval(offset + 1), status: status,
            txHash: tx, error: error, httpStatus: status == .settled ? 200 : nil)
    }

    static let payments: [PaymentRecord] = [
        record(4, s1.id, "b.example", 5_000, .failed, error: "402 again", at: 30),
        record(3, s1.id, "a.example", 10_000, .sent, at: 20),
        record(2, s1.id, "a.example", 10_000, .settled, tx: "0xbff8" + String(repeating: "0", count: 56) + "3a1c", at: 10),
        record(1, s2.id, "b.example", 1_250_000, .settled, tx: "0x12", url: "https://b.example/q?a=1,b=\"2\"\nx", at: 0),
    ]
    static let limits = BudgetLimits(perRequest: Micros(100_000), session: Micros(25_000), daily: Micros(2_000_000),
                                     perHostDaily: [HostName("a.example"): Micros(50_000)])
    static let usage = BudgetUsage(sessionID: s1.id, sessionSpent: Micros(20_000), dailySpent: Micros(1_270_000),
                                   hostDailySpent: [HostName("a.example"): Micros(20_000), HostName("b.example"): Micros(1_250_000)],
                                   sessionPending: Micros(10_000))

    let report = SpendLogReport(payments: payments, sessions: [s1, s2], limits: limits, usage: usage,
                                currentSessionID: s1.id, now: t0.addingTimeInterval(60))

    @Test func emptyTableIsOneFriendlyLine() {
        let r = SpendLogReport(payments: [], sessions: [], limits: nil, usage: nil, currentSessionID: nil, now: t0)
        #expect(r.table() == "No payments yet. Purse has not spent anything.\n")
        #expect(r.csv() == SpendLogReport.csvColumns.joined(separator: ",") + "\r\n")
        #expect(r.json()["payments"] == .array([]))
        #expect(r.json()["totals"]?["settled"] == "0")
        #expect(r.json()["budget"] == .null)
    }

    @Test func tableColumnsTotalsAndBudget() {
        let table = report.table()
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "TIME                  SESSION    HOST           AMOUNT  NETWORK      STATUS   TX")
        #expect(lines[1] == "2026-11-18 11:07:10Z  s_abcdef*  b.example  0.005 USDC  eip155:8453  failed   -")
        #expect(lines[3] == "2026-11-18 11:06:50Z  s_abcdef*  a.example   0.01 USDC  eip155:8453  settled  0xbff8…3a1c")
        #expect(lines[4] == "2026-11-18 11:06:40Z  s_mnopqr   b.example   1.25 USDC  eip155:8453  settled  0x12")
        // Amounts are right-aligned under the header: every "USDC" ends where "AMOUNT" ends.
        let amountEnd = lines[0].distance(from: lines[0].startIndex, to: lines[0].range(of: "AMOUNT")!.upperBound)
        for line in lines[1...4] {
            #expect(line.distance(from: line.startIndex, to: line.range(of: " USDC")!.upperBound) == amountEnd)
        }
        #expect(table.contains("Totals per session\n  s_abcdef (serve)       settled 0.01 USDC,  pending 0.01  (3 payments)\n"))
        #expect(table.contains("  s_mnopqr (fetch: cli)  settled 1.25 USDC,  pending 0.00  (1 payment)\n"))
        #expect(table.contains("Totals per host\n  a.example  settled 0.01 USDC,  pending 0.01  (2 payments)\n"))
        #expect(table.contains("All: settled 1.26 USDC, pending 0.01\n"))
        #expect(table.contains("Budget left\n"))
        #expect(table.contains("  this session          0.005 USDC left  of 0.025 (0.02 spent)\n"))
        #expect(table.contains("  last 24 h              0.73 USDC left  of 2.00 (1.27 spent)\n"))
        #expect(table.contains("  a.example, last 24 h   0.03 USDC left  of 0.05 (0.02 spent)\n"))
        #expect(table.contains("  per request           up to 0.10 USDC\n"))
    }

    @Test func tableNeutralizesControlCharacters() {
        var p = Self.record(1, Self.s1.id, "evil\u{1b}[2J.example", 1, .reserved)
        p.txHash = "0x\u{1b}]0;pwned\u{07}"
        let table = SpendLogReport(payments: [p], sessions: [], limits: nil, usage: nil, currentSessionID: nil, now: t0).table()
        #expect(!table.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
        #expect(table.contains("evil?[2j.example"))  // hosts are stored normalized (lower-case)
    }

    @Test func jsonShapeMatchesTheSchema() throws {
        let json = report.json()
        let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/spend-log.schema.json")
        let schema = try JSONValue.parse(Array(try Data(contentsOf: schemaURL)))
        func required(_ v: JSONValue?) -> [String] { v?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        #expect(json.objectValue?.keys == required(schema))
        let payment = try #require(json["payments"]?.arrayValue?.first?.objectValue)
        #expect(payment.keys == required(schema["$defs"]?["payment"]))
        #expect(json["totals"]?.objectValue?.keys == required(schema["properties"]?["totals"]))
        #expect(json["budget"]?["lines"]?.arrayValue?.first?.objectValue?.keys
            == required(schema["properties"]?["budget"]?["oneOf"]?.arrayValue?[1]["properties"]?["lines"]?["items"]))

        #expect(payment["amount"] == "0.005")
        #expect(payment["amountAtomic"] == "5000")
        #expect(payment["createdAt"] == "2026-11-18T11:07:10.000Z")
        #expect(payment["txHash"] == .null)
        #expect(json["totals"]?["settled"] == "1.26")
        #expect(json["totals"]?["pending"] == "0.01")
        #expect(json["totals"]?["released"] == "0.005")
        #expect(json["totals"]?["bySession"]?.arrayValue?.first == [
            "sessionID": "s_abcdefghijkl", "settled": "0.01", "pending": "0.01", "released": "0.005", "count": 3,
        ])
        #expect(json["budget"]?["lines"]?.arrayValue?.count == 4)
        #expect(json["currentSessionID"] == "s_abcdefghijkl")
        // Round trip through the strict parser.
        #expect(try JSONValue.parse(json.encoded()) == json)
    }

    @Test func csvQuotesAndNeutralizesFormulas() {
        let csv = report.csv()
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.contains(",\"https://b.example/q?a=1,b=\"\"2\"\"\nx\","))
        #expect(SpendLogReport.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(SpendLogReport.csvField("+1") == "'+1")
        #expect(SpendLogReport.csvField("-2") == "'-2")
        #expect(SpendLogReport.csvField("@SUM(A1)") == "'@SUM(A1)")
        #expect(SpendLogReport.csvField("plain") == "plain")
        #expect(SpendLogReport.csvField("a\r\nb") == "\"a\r\nb\"")
        var evil = Self.record(9, Self.s1.id, "x.example", 1, .failed, error: "=cmd|' /C calc'!A0")
        evil.payment.url = "https://x.example/"
        let row = SpendLogReport(payments: [evil], sessions: [], limits: nil, usage: nil, currentSessionID: nil, now: t0).csv()
        #expect(row.contains(",'=cmd|' /C calc'!A0,"))
    }

    /// Parses the CSV produced here (RFC 4180) back into rows of fields.
    private func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false } }
                else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r", chars.first == "\n" { chars.removeFirst(); row.append(field); rows.append(row); row = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        return rows
    }

    @Test func numbersAgreeAcrossTableJSONAndCSV() throws {
        let rows = parseCSV(report.csv())
        #expect(rows.count == 1 + Self.payments.count)
        #expect(rows.allSatisfy { $0.count == SpendLogReport.csvColumns.count })
        let col = { (name: String) in SpendLogReport.csvColumns.firstIndex(of: name)! }
        let jsonPayments = try #require(report.json()["payments"]?.arrayValue)
        let table = report.table()
        for (i, p) in Self.payments.enumerated() {
            let csvAmount = rows[i + 1][col("amount")]
            let jsonAmount = try #require(jsonPayments[i]["amount"]?.stringValue)
            #expect(csvAmount == jsonAmount)
            #expect(try AmountFormat.atomic(fromDecimal: csvAmount, decimals: p.decimals) == p.amountAtomic)
            #expect(rows[i + 1][col("amount_atomic")] == jsonPayments[i]["amountAtomic"]?.stringValue)
            #expect(rows[i + 1][col("id")] == String(p.id))
            #expect(table.contains(AmountFormat.decimalString(atomic: p.amountAtomic, decimals: p.decimals, minFractionDigits: 2) + " USDC"))
        }
        let settled = try #require(report.json()["totals"]?["settled"]?.stringValue)
        let sumSettled = Self.payments.filter { $0.status == .settled }.reduce(Int64(0)) { $0 + $1.amountAtomic }
        #expect(try AmountFormat.atomic(fromDecimal: settled, decimals: 6) == sumSettled)
        #expect(table.contains("All: settled \(AmountFormat.decimalString(atomic: sumSettled, decimals: 6, minFractionDigits: 2)) USDC"))
    }

    @Test func reportFromARealLedger() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("purse.db"))
        let s = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0)
        let r = try ledger.reserve(usdc(s.id, 10_000), limits: .none, now: t0)
        try ledger.markSent(id: r.id, now: t0)
        try ledger.markSettled(id: r.id, txHash: "0xbff8000000000000000000000000000000000000000000000000000000003a1c", httpStatus: 200, now: t0)
        let limits = BudgetLimits(session: Micros(25_000))
        let report = SpendLogReport(payments: try ledger.payments(PaymentFilter()), sessions: try ledger.sessions(), limits: limits,
                                    usage: try ledger.usage(sessionID: s.id, host: nil, allHosts: true, now: t0), currentSessionID: s.id, now: t0)
        #expect(report.table().contains("0.01 USDC"))
        #expect(report.table().contains("0xbff8…3a1c"))
        #expect(report.table().contains("0.015 USDC left  of 0.025 (0.01 spent)"))
        #expect(report.json()["totals"]?["settled"] == "0.01")
    }
}
