import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

/// `purse spend-log`: what was spent, when, where, and what is left.
struct SpendLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spend-log", abstract: "Show payments, totals per session and host, and the budget left.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "table (default), json or csv.")
    var format: String = "table"

    @Option(name: .long, help: "Only payments since: 24h, 7d, 30m, or a date 2026-11-01.")
    var since: String?

    @Option(name: .long, help: "Only this session: an id, 'last' (latest started) or 'current' (latest still running).")
    var session: String?

    @Option(name: .long, help: "Only this host.")
    var host: String?

    @Option(name: .long, help: "Only this status: reserved, sent, settled, failed, unknown.")
    var status: String?

    @Option(name: .long, help: "At most this many payments (newest first).")
    var limit: Int?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError("--format must be table, json or csv") }
        if let status, PaymentStatus(rawValue: status) == nil { throw ValidationError("--status must be one of: reserved, sent, settled, failed, unknown") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let since, SinceParser.parse(since, now: Date()) == nil { throw ValidationError("--since takes 30m, 24h, 7d or a date like 2026-11-01") }
    }

    func run() throws {
        let now = Date()
        do {
            let config = try global.loadConfig()
            let location = global.ledgerLocation(config)
            let policy = Policy(config: config)
            let report = LedgerLocation.exists(location)
                ? try SpendLog.report(
                    ledger: try global.openLedger(config), policy: policy, session: session, own: nil,
                    since: since.flatMap { SinceParser.parse($0, now: now) }, host: host.map { HostName($0) },
                    status: status.flatMap(PaymentStatus.init(rawValue:)), limit: limit, now: now)
                : SpendLog.empty(policy: policy, now: now)
            switch format {
            case "json": stdout(report.json().prettyEncoded() + "\n")
            case "csv": stdout(report.csv())
            default: stdout(report.table() + "\n")
            }
        } catch let e as ValidationError { throw CLIExit.fail(e) } catch { throw CLIExit.fail(error) }
    }
}

/// Parses `--since` values.
enum SinceParser {
    static func parse(_ text: String, now: Date) -> Date? {
        if let unit = text.last, let n = Int(text.dropLast()), n >= 0 {
            switch unit {
            case "m": return now.addingTimeInterval(-Double(n) * 60)
            case "h": return now.addingTimeInterval(-Double(n) * 3_600)
            case "d": return now.addingTimeInterval(-Double(n) * 86_400)
            default: break
            }
        }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var c = DateComponents()
        c.year = parts[0]; c.month = parts[1]; c.day = parts[2]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let d = cal.date(from: c), cal.component(.month, from: d) == parts[1] else { return nil }
        return d
    }
}
