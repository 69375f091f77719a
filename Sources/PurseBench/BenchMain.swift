import BlockingWork
import CMallocArenas
import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet
import X402

/// `purse-bench`: Purse's own numbers for the performance table (scripts/bench prints it with the peers').
///
///     purse-bench client [--runs N]                       stages of the client work per paid request
///     purse-bench client-tight [--runs N]                 only the peer-style loop of those stages (to profile it)
///     purse-bench e2e --seller URL [--runs N] [--idle-gap-us U] [--unprepared-log]
///                                                          paid request vs two plain round trips
///     purse-bench ledger --procs P --attempts N            reservations/s with P processes on one DB
///     purse-bench ledger-compare --procs 4,16 --attempts N [--postgres URL]
///                                                          the same for SQLite and PostgreSQL side by side
///     purse-bench ledger-worker DB N LIMIT                 one contending process (DB a path or a URL); also
///                                                          the e2e race driver (Tests/EndToEnd/test_fleet_postgres.py)
///     purse-bench report [--rows N] [--runs N] [--purse P] `purse report` time and size on an N-row ledger
///     purse-bench fill-ledger PATH [--rows N]              writes that N-row ledger to PATH (for start-up timing)
@main
struct BenchMain {
    static func main() async throws {
        // Links purse's malloc set-up (CMallocArenas: one arena, a 1 MiB trim threshold; its
        // constructor runs only in a binary that links its object) so the bench's ledger and
        // HTTP work allocate as purse's do. Trimming a heap that has just started costs nothing.
        purse_release_free_heap()
        let args = Array(CommandLine.arguments.dropFirst())
        func opt(_ name: String, _ def: String) -> String {
            guard let i = args.firstIndex(of: name), i + 1 < args.count else { return def }
            return args[i + 1]
        }
        let runs = Int(opt("--runs", "2000")) ?? 2000
        var result: JSONValue
        switch args.first {
        case "client": result = try await ClientWorkBench(runs: runs).run()
        case "client-tight": result = try ClientWorkBench(runs: runs).tightOnly()
        case "e2e":
            // As `purse fetch` and `purse serve`'s tool calls run: on threads that may block.
            let bench = EndToEndBench(seller: opt("--seller", ""), runs: Int(opt("--runs", "200")) ?? 200,
                                      idleGapMicros: UInt32(opt("--idle-gap-us", "0")) ?? 0,
                                      preparesLedger: !args.contains("--unprepared-log"))
            result = try await withTaskExecutorPreference(BlockingWorkers.shared) { try await bench.run() }
        case "ledger":
            result = try LedgerBench(procs: Int(opt("--procs", "4")) ?? 4, attempts: Int(opt("--attempts", "500")) ?? 500).run()
        case "ledger-compare":
            let counts = opt("--procs", "4,16").split(separator: ",").compactMap { Int($0) }
            result = try LedgerBench(procs: counts.max() ?? 4, attempts: Int(opt("--attempts", "500")) ?? 500,
                                     postgres: args.contains("--postgres") ? opt("--postgres", "") : nil).compare(counts: counts)
        case "report":
            result = try ReportBench(rows: Int(opt("--rows", "100000")) ?? 100_000, runs: Int(opt("--runs", "5")) ?? 5,
                                     purse: args.contains("--purse") ? opt("--purse", "") : nil).run()
        case "fill-ledger":
            guard args.count > 1 else { throw PurseError("bench.usage", "fill-ledger needs a PATH") }
            try ReportBench(rows: Int(opt("--rows", "100000")) ?? 100_000, runs: 0, purse: nil).fill(args[1])
            return
        case "ledger-worker":
            try LedgerBench.worker(db: args[1], attempts: Int(args[2])!, limit: Int64(args[3])!)
            return
        default:
            FileHandle.standardError.write(Data("usage: purse-bench client|e2e|ledger|report …\n".utf8))
            exit(2)
        }
        print(result.encoded())
    }
}
