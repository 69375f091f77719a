import Foundation
import Ledger
import PostgresClient
import PurseCore
import PurseTesting

/// Reservations per second with several processes contending on one database, each durable
/// before it returns (SQLite: the log synced after the commit, as at synchronous=FULL;
/// PostgreSQL's default synchronous_commit=on, fsync on).
///
/// With `postgres` (a base URL, such as scripts/pg-cluster's), each round runs on a fresh schema
/// of that database, so SQLite and PostgreSQL are measured by the same workers, limits and
/// clock: `run` gives the SQLite rounds, `compare` both backends at each process count.
struct LedgerBench {
    let procs: Int
    let attempts: Int
    var postgres: String? = nil
    static let amount: Int64 = 10

    func run() throws -> JSONValue {
        var out = JSONObject()
        for p in Set([1, procs]).sorted() { out["\(p)_process" + (p == 1 ? "" : "es")] = try round(procs: p) }
        return .object(out)
    }

    /// SQLite, and PostgreSQL when a URL is given, at each of `counts` processes.
    func compare(counts: [Int]) throws -> JSONValue {
        var out = JSONObject()
        for p in counts {
            out["sqlite_\(p)"] = try round(procs: p)
            if let postgres { out["postgresql_\(p)"] = try round(procs: p, postgres: postgres) }
        }
        return .object(out)
    }

    /// One round: `procs` workers × `attempts` reservations against a daily limit that admits 90 % of them.
    func round(procs: Int, postgres: String? = nil) throws -> JSONValue {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-lbench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var db = dir.appendingPathComponent("l.db").path
        // A schema of its own in the given database, dropped at the end.
        let scratch = try postgres.map { try ScratchSchema(base: $0, prefix: "bench_") }
        defer { withExtendedLifetime(scratch) {} } // Dropped only when the round is over.
        if let scratch { db = scratch.url }
        _ = try LedgerStore.open(db, password: nil)
        let limit = Int64(procs * attempts) * Self.amount * 9 / 10
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        var children = [(Process, Pipe, Pipe)]()
        defer { for (p, _, _) in children where p.isRunning { p.terminate() } }
        for _ in 0..<procs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: me)
            p.arguments = ["ledger-worker", db, String(attempts), String(limit)]
            let out = Pipe(), input = Pipe()
            p.standardOutput = out
            p.standardInput = input
            try p.run()
            children.append((p, out, input))
        }
        // A start barrier: every worker has connected and started its session (it says `ready`)
        // before any reserves, so the numbers measure reservations, not process start-up.
        for (_, out, _) in children { _ = Self.readLine(out.fileHandleForReading) }
        for (_, _, input) in children { input.fileHandleForWriting.write(Data("go\n".utf8)) }
        var ok = 0, refused = 0, errors = 0, worst = 0.0, medians = [Double](), first = Double.infinity, last = 0.0
        var firstError: String?
        for (p, out, _) in children {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let r = try JSONValue.parse(Array(data))
            ok += Int(r["ok"]?.int64Value ?? 0)
            refused += Int(r["refused"]?.int64Value ?? 0)
            errors += Int(r["errors"]?.int64Value ?? 0)
            worst = max(worst, r["worst_ms"]?.doubleValue ?? 0)
            medians.append(r["median_ms"]?.doubleValue ?? 0)
            first = min(first, r["start_ms"]?.doubleValue ?? first)
            last = max(last, r["end_ms"]?.doubleValue ?? last)
            if firstError == nil, case let .string(e)? = r["first_error"] { firstError = e }
        }
        let wall = max(last - first, 0.001) / 1_000
        let ledger = try LedgerStore.open(db, password: nil)
        let total = try ledger.payments(PaymentFilter()).reduce(Int64(0)) { $0 + $1.micros.value }
        let overspends = max(0, total - limit) / Self.amount
        return [
            "attempts": .integer(procs * attempts), "reserved": .integer(ok), "refused": .integer(refused), "errors": .integer(errors),
            "attempts_per_s": .number(String(format: "%.0f", Double(procs * attempts) / wall)),
            "reservations_per_s": .number(String(format: "%.0f", Double(ok) / wall)),
            "median_ms": .number(fmt(Stats(medians).median)), "worst_wait_ms": .number(fmt(worst)), "overspends": .integer(Int(overspends)),
            "backend": .string(postgres == nil ? "sqlite" : "postgresql"), "processes": .integer(procs),
            "first_error": firstError.map(JSONValue.string) ?? .null,
        ]
    }

    /// One contending process: `attempts` reservations, then a JSON line of its counts and latencies.
    static func worker(db: String, attempts: Int, limit: Int64) throws {
        // A URL is PostgreSQL (the password, if any, from PURSE_DB_PASSWORD); a path SQLite.
        let ledger: any PaymentLedger = LedgerStore.isPostgres(db)
            ? try LedgerStore.open(db, password: ProcessInfo.processInfo.environment["PURSE_DB_PASSWORD"])
            : try SQLiteLedger(path: db, options: LedgerOptions(quickCheckOnOpen: false))
        let session = try ledger.startSession(kind: "bench", label: nil, clientName: nil, now: Date())
        // The start barrier (see `round`): say ready, wait for the go line (or end of input).
        FileHandle.standardOutput.write(Data("ready\n".utf8)) // unbuffered: the parent waits for it
        _ = Swift.readLine()
        var ok = 0, refused = 0, errors = 0
        var firstError: String?
        let start = nowMs()
        var lat = [Double]()
        lat.reserveCapacity(attempts)
        for i in 0..<attempts {
            let p = NewPayment(sessionID: session.id, method: "GET", url: "http://bench/", host: HostName("bench"), network: "eip155:84532",
                               asset: BenchRig.tokenAddress, assetSymbol: "USDC", decimals: 6, payTo: BenchRig.payToAddress, amountAtomic: amount,
                               micros: Micros(amount), scheme: "exact", x402Version: 2,
                               nonce: try Nonce32(bytes: Array(repeating: UInt8(i & 0xff), count: 32)), validBefore: 4_000_000_000,
                               payer: BenchRig.payToAddress)
            let t = nowMs()
            do {
                _ = try ledger.reserve(p, limits: BudgetLimits(daily: Micros(limit)), now: Date())
                ok += 1
            } catch {
                if case .refused = error { refused += 1 } else {
                    errors += 1
                    if firstError == nil { firstError = "\(error.code): \(error.message)" }
                }
            }
            lat.append(nowMs() - t)
        }
        let end = nowMs()
        let s = Stats(lat)
        print(JSONValue.object(["ok": .integer(ok), "refused": .integer(refused), "errors": .integer(errors),
                                "worst_ms": .number(fmt(s.max)), "median_ms": .number(fmt(s.median)),
                                "start_ms": .number(fmt(start)), "end_ms": .number(fmt(end)),
                                "first_error": firstError.map(JSONValue.string) ?? .null]).encoded())
    }

    /// One line from `handle` (without the newline), read a byte at a time; nil at end of file.
    static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            guard let data = try? handle.read(upToCount: 1), let b = data.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if b == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(b)
        }
    }
}
