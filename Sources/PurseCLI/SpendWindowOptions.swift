import ArgumentParser
import Foundation

/// `--since` and `--session`, the window of payments that `purse spend-log` and `purse report`
/// read. One option group, so that both commands accept the same words and reject the same
/// mistakes, and so that a report and a spend log for the same window show the same totals.
struct SpendWindowOptions: ParsableArguments {
    @Option(name: .long, help: "Only payments since: 30m, 24h, 7d, 30d, or a date 2026-11-01.")
    var since: String?

    @Option(name: .long, help: "Only this session: an id, 'last' (latest started) or 'current' (latest still running).")
    var session: String?

    func validate() throws {
        if let since, SinceParser.parse(since, now: Date()) == nil { throw ValidationError("--since takes 30m, 24h, 7d, 30d or a date like 2026-11-01") }
    }

    /// The start of the window at `now`, or nil for all time.
    func sinceDate(now: Date) -> Date? { since.flatMap { SinceParser.parse($0, now: now) } }
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
