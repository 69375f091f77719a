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
            let path = global.ledgerPath(config, kind: "spend-log")
            guard FileManager.default.fileExists(atPath: path) else {
                emitEmpty(config: config)
                return
            }
            let ledger = try Ledger(path: path)
            let sessions = try ledger.sessions()
            let sessionID = try SessionSelector.resolve(session, sessions: sessions)
            let payments = try ledger.payments(PaymentFilter(
                since: since.flatMap { SinceParser.parse($0, now: now) }, sessionID: sessionID, host: host?.lowercased(),
                status: status.flatMap(PaymentStatus.init(rawValue:)), limit: limit))
            let policy = Policy(config: config)
            let usage = try ledger.usage(sessionID: sessionID ?? "", host: nil, now: now)
            let report = SpendLogReport(payments: payments, sessions: sessions, limits: policy.budgetLimits, usage: usage, currentSessionID: sessionID, now: now)
            switch format {
            case "json": stdout(report.json().prettyEncoded() + "\n")
            case "csv": stdout(report.csv())
            default: stdout(report.table() + "\n")
            }
        } catch let e as ValidationError { throw CLIExit.fail(e) } catch { throw CLIExit.fail(error) }
    }

    private func emitEmpty(config: PurseConfig) {
        let report = SpendLogReport(payments: [], sessions: [], limits: Policy(config: config).budgetLimits, usage: nil, currentSessionID: nil, now: Date())
        switch format {
        case "json": stdout(report.json().prettyEncoded() + "\n")
        case "csv": stdout(report.csv())
        default: stdout(report.table() + "\n")
        }
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

/// Resolves `--session` values.
enum SessionSelector {
    static func resolve(_ text: String?, sessions: [SessionRecord]) throws -> String? {
        guard let text else { return nil }
        let newest = sessions.sorted { $0.startedAt > $1.startedAt }
        switch text {
        case "last":
            guard let s = newest.first(where: { !["spend-log", "budget"].contains($0.kind) }) else { throw ValidationError("there are no sessions yet") }
            return s.id
        case "current":
            guard let s = newest.first(where: { ["serve", "fetch"].contains($0.kind) && kill($0.pid, 0) == 0 }) else {
                throw ValidationError("no Purse session is running now; use --session last")
            }
            return s.id
        default:
            guard sessions.contains(where: { $0.id == text }) else { throw ValidationError("no session \(text)") }
            return text
        }
    }
}
