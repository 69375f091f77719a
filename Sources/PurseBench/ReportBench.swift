import Foundation
import Ledger
import PurseCore
import PurseTesting
import SpendReport
import Wallet

/// `purse report` on a ledger of `rows` payments: the time to generate the page and its size.
///
/// The ledger is filled with raw SQL (the payment API would fsync each row), spread over 90 days,
/// 122 hosts (two of them MCP tools), 41 sessions and every status, each row with an 800-byte
/// signed payload as ledger v4 keeps (about 1.6 KB a row, 160 MB in all). The page is then generated
/// in-process `runs` times, stage by stage (opening the ledger, which runs its `quick_check`;
/// open plus the query shared with spend-log; the model; the HTML), and, with `--purse PATH`, by running the real `purse report` end to end.
struct ReportBench {
    let rows: Int
    let runs: Int
    let purse: String?

    func run() throws -> JSONValue {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-rbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("l.db").path
        try fill(db)

        let policy = Policy(config: PurseConfig())
        var open = [Double](), query = [Double](), model = [Double](), html = [Double](), total = [Double](), cpu = [Double]()
        var bytes = 0
        for _ in 0..<runs {
            let c0 = Self.cpuMs()
            let t0 = nowMs()
            let ledger = try LedgerLocation.open(db)
            open.append(nowMs() - t0)
            let log = try SpendLog.report(ledger: ledger, policy: policy, session: nil, own: nil, now: Date())
            let t1 = nowMs()
            let m = SpendReportModel(log: log, window: ReportWindow(since: nil, now: log.now))
            let t2 = nowMs()
            let page = SpendReportPage.html(m)
            let t3 = nowMs()
            let out = dir.appendingPathComponent("r.html")
            try Data(page.utf8).write(to: out)
            let t4 = nowMs()
            bytes = page.utf8.count
            query.append(t1 - t0); model.append(t2 - t1); html.append(t3 - t2); total.append(t4 - t0)
            cpu.append(Self.cpuMs() - c0)
        }
        var result: JSONObject = [
            "rows": .integer(rows), "bytes": .integer(bytes),
            "in_process_ms": .number(fmt(Stats(total).median)), "in_process_cpu_ms": .number(fmt(Stats(cpu).median)), "open_ms": .number(fmt(Stats(open).median)),
            "query_ms": .number(fmt(Stats(query).median)),
            "model_ms": .number(fmt(Stats(model).median)), "html_ms": .number(fmt(Stats(html).median)),
        ]
        if let purse {
            let config = dir.appendingPathComponent("config.json")
            try Data("{}".utf8).write(to: config)
            var cli = [Double](), cliCPU = [Double]()
            for _ in 0..<runs {
                let c0 = Self.childCPUMs()
                let p = Process()
                p.executableURL = URL(fileURLWithPath: purse)
                p.arguments = ["report", "--db", db, "--config", config.path,
                               "--out", dir.appendingPathComponent("cli.html").path]
                p.standardOutput = FileHandle.nullDevice
                let t = nowMs()
                try p.run()
                p.waitUntilExit()
                cli.append(nowMs() - t)
                cliCPU.append(Self.childCPUMs() - c0)
                guard p.terminationStatus == 0 else { throw PurseError("bench.report", "purse report exited \(p.terminationStatus)") }
            }
            result["cli_ms"] = .number(fmt(Stats(cli).median))
            result["cli_max_ms"] = .number(fmt(Stats(cli).max))
            result["cli_cpu_ms"] = .number(fmt(Stats(cliCPU).median))
        }
        return .object(result)
    }

    /// CPU time of this process (user + system): on a shared machine, what the work costs
    /// whatever else runs; on an idle one, about the wall time (the generation is single-threaded).
    static func cpuMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1_000 + Double(ts.tv_nsec) / 1_000_000
    }

    /// CPU time (user + system) of the finished child processes.
    static func childCPUMs() -> Double {
        var u = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &u)
        func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1_000 + Double(t.tv_usec) / 1_000 }
        return ms(u.ru_utime) + ms(u.ru_stime)
    }

    /// One real session and reservation, then `rows - 1` copies of it by SQL.
    func fill(_ db: String) throws {
        let ledger = try SQLiteLedger(path: db)
        let now = Date()
        let session = try ledger.startSession(kind: "serve", label: "bench", clientName: nil, now: now)
        let payment = NewPayment(
            sessionID: session.id, method: "GET", url: "https://seller-0.example.com/weather", host: HostName("seller-0.example.com"),
            network: "eip155:8453", asset: try Address(parsing: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), assetSymbol: "USDC",
            decimals: 6, payTo: try Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"), amountAtomic: 10_000,
            micros: Micros(10_000), scheme: "exact", x402Version: 2, nonce: try Nonce32(hex: "0x" + String(repeating: "0", count: 64)),
            validBefore: 1_795_000_600, payer: try Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66"))
        let first = try ledger.reserve(payment, limits: .none, now: now)
        try ledger.markSent(id: first.id, now: now)
        try ledger.markSettled(id: first.id, txHash: "0x" + String(repeating: "ab", count: 32), httpStatus: 200, now: now)
        let spanMs = 90 * 86_400_000 / max(rows, 1)
        try ledger.executeRaw("""
            INSERT INTO session (id, started_at, kind, label, client_name, pid, machine)
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
              SELECT printf('s_bench%06d', i), started_at - i * 86400000 * 2, kind, NULL, NULL, pid + i, 'bench-host'
              FROM session, n;
            INSERT INTO payment (session_id, created_at, updated_at, method, url, host, network, asset, asset_symbol, decimals,
                                 pay_to, amount_atomic, micros, scheme, x402_version, nonce, valid_before, status, tx_hash, payer,
                                 error, http_status, signed_payload)
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows - 1))
              SELECT printf('s_bench%06d', 1 + i % 40), created_at - i * \(spanMs), updated_at - i * \(spanMs), method, url,
                     CASE WHEN i % 61 = 0 THEN 'mcp:weather' WHEN i % 67 = 0 THEN 'mcp:search' ELSE printf('seller-%d.example.com', i % 120) END,
                     network, asset, asset_symbol, decimals, pay_to, 1000 + i % 9000, 1000 + i % 9000, scheme, x402_version,
                     printf('0x%064x', i), valid_before,
                     CASE i % 10 WHEN 8 THEN 'failed' WHEN 9 THEN 'unknown' ELSE 'settled' END,
                     CASE WHEN i % 10 < 8 THEN printf('0x%064x', i) END, payer,
                     CASE WHEN i % 10 >= 8 THEN 'bench' END, http_status,
                     printf('{"x402Version":2,"payload":"%.*c"}', 780, 'a')
              FROM payment, n WHERE payment.id = \(first.id);
            """)
    }
}
