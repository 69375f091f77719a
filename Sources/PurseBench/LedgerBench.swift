import Foundation
import Ledger
import PurseCore

/// Reservations per second with several processes contending on one database (synchronous=FULL).
struct LedgerBench {
    let procs: Int
    let attempts: Int
    static let amount: Int64 = 10

    func run() throws -> JSONValue {
        var out = JSONObject()
        for p in Set([1, procs]).sorted() { out["\(p)_process" + (p == 1 ? "" : "es")] = try round(procs: p) }
        return .object(out)
    }

    /// One round: `procs` workers × `attempts` reservations against a daily limit that admits 90 % of them.
    func round(procs: Int) throws -> JSONValue {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-lbench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("l.db").path
        _ = try SQLiteLedger(path: db)
        let limit = Int64(procs * attempts) * Self.amount * 9 / 10
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let t0 = nowMs()
        var children = [(Process, Pipe)]()
        for _ in 0..<procs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: me)
            p.arguments = ["ledger-worker", db, String(attempts), String(limit)]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            children.append((p, pipe))
        }
        var ok = 0, refused = 0, errors = 0, worst = 0.0, medians = [Double]()
        for (p, pipe) in children {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let r = try JSONValue.parse(Array(data))
            ok += Int(r["ok"]?.int64Value ?? 0)
            refused += Int(r["refused"]?.int64Value ?? 0)
            errors += Int(r["errors"]?.int64Value ?? 0)
            worst = max(worst, r["worst_ms"]?.doubleValue ?? 0)
            medians.append(r["median_ms"]?.doubleValue ?? 0)
        }
        let wall = (nowMs() - t0) / 1_000
        let ledger = try SQLiteLedger(path: db)
        let total = try ledger.payments(PaymentFilter()).reduce(Int64(0)) { $0 + $1.micros.value }
        let overspends = max(0, total - limit) / Self.amount
        return [
            "attempts": .integer(procs * attempts), "reserved": .integer(ok), "refused": .integer(refused), "errors": .integer(errors),
            "attempts_per_s": .number(String(format: "%.0f", Double(procs * attempts) / wall)),
            "reservations_per_s": .number(String(format: "%.0f", Double(ok) / wall)),
            "median_ms": .number(fmt(Stats(medians).median)), "worst_wait_ms": .number(fmt(worst)), "overspends": .integer(Int(overspends)),
        ]
    }

    /// One contending process: `attempts` reservations, then a JSON line of its counts and latencies.
    static func worker(db: String, attempts: Int, limit: Int64) throws {
        let ledger = try SQLiteLedger(path: db, options: LedgerOptions(quickCheckOnOpen: false))
        let session = try ledger.startSession(kind: "bench", label: nil, clientName: nil, now: Date())
        var ok = 0, refused = 0, errors = 0
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
                if case .refused = error { refused += 1 } else { errors += 1 }
            }
            lat.append(nowMs() - t)
        }
        let s = Stats(lat)
        print(JSONValue.object(["ok": .integer(ok), "refused": .integer(refused), "errors": .integer(errors),
                                "worst_ms": .number(fmt(s.max)), "median_ms": .number(fmt(s.median))]).encoded())
    }
}
