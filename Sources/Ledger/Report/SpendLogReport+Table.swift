import Foundation

extension SpendLogReport {
    /// An aligned table with totals per session and per host and, when known, the budget left.
    ///
    /// Times are UTC (`2026-11-22 14:03:05Z`). Text that came from servers (hosts, errors) has
    /// control characters replaced, so a hostile server cannot inject terminal escapes.
    public func table() -> String {
        guard !payments.isEmpty else {
            var out = "No payments yet. Purse has not spent anything.\n"
            let budget = budgetSection()
            if !budget.isEmpty { out += "\n" + budget }
            return out
        }
        let header = ["TIME", "SESSION", "HOST", "AMOUNT", "NETWORK", "STATUS", "TX"]
        var rows: [[String]] = []
        for p in payments {
            let session = Self.shortSession(p.sessionID) + (p.sessionID == currentSessionID ? "*" : "")
            rows.append([
                Self.timestamp(p.createdAt), session, Self.clip(Self.clean(p.host.name), 32),
                "\(Self.amount(p, minFractionDigits: 2)) \(Self.clean(p.assetSymbol))", Self.clean(p.network),
                p.status.rawValue, p.txHash.map { Self.shortHex(Self.clean($0)) } ?? "-",
            ])
        }
        var out = Self.align([header] + rows, rightAligned: [3])
        if currentSessionID != nil, payments.contains(where: { $0.sessionID == currentSessionID }) {
            out += "(* = this session)\n"
        }

        out += "\nTotals per session\n"
        let kinds = Dictionary(sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        out += Self.align(totalsBySession.map { t in
            let s = kinds[t.key]
            let name = Self.shortSession(t.key) + (s.map { " (\(Self.clean($0.kind))\($0.label.map { ": " + Self.clean($0) } ?? ""))" } ?? "")
            return ["  " + name] + totalCells(t)
        }, rightAligned: [])
        out += "\nTotals per host\n"
        out += Self.align(totalsByHost.map { ["  " + Self.clip(Self.clean($0.key), 40)] + totalCells($0) }, rightAligned: [])
        let all = grandTotal
        out += "\nAll: settled \(Self.units(all.settledMicros, minFractionDigits: 2)) \(budgetSymbol), pending \(Self.units(all.pendingMicros, minFractionDigits: 2))\n"
        let budget = budgetSection()
        if !budget.isEmpty { out += "\n" + budget }
        return out
    }

    private func totalCells(_ t: Total) -> [String] {
        var cells = ["settled \(Self.units(t.settledMicros, minFractionDigits: 2)) \(budgetSymbol),",
                     "pending \(Self.units(t.pendingMicros, minFractionDigits: 2))"]
        cells.append(t.count == 1 ? "(1 payment)" : "(\(t.count) payments)")
        return cells
    }

    private func budgetSection() -> String {
        let lines = budgetLines
        guard !lines.isEmpty else { return "" }
        var rows: [[String]] = []
        for line in lines {
            let f = { (v: Int64) in Self.units(v, minFractionDigits: 2) }
            switch line.limit {
            case .perRequest:
                rows.append(["  per request", "up to \(f(line.limitMicros)) \(budgetSymbol)", ""])
            case .session:
                rows.append(["  this session", "\(f(line.leftMicros)) \(budgetSymbol) left", "of \(f(line.limitMicros)) (\(f(line.spentMicros)) spent)"])
            case .daily:
                rows.append(["  last 24 h", "\(f(line.leftMicros)) \(budgetSymbol) left", "of \(f(line.limitMicros)) (\(f(line.spentMicros)) spent)"])
            case .hostDaily:
                rows.append(["  \(Self.clean(line.host ?? "?")), last 24 h", "\(f(line.leftMicros)) \(budgetSymbol) left",
                             "of \(f(line.limitMicros)) (\(f(line.spentMicros)) spent)"])
            }
        }
        return "Budget left\n" + Self.align(rows, rightAligned: [1])
    }

    /// Pads columns to a common width, two spaces apart, trailing spaces trimmed.
    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { line += "  " }
                line += rightAligned.contains(i) ? pad + cell : cell + pad
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// `s_abcdefghijkl` → `s_abcdef`.
    static func shortSession(_ id: String) -> String { id.count > 8 ? String(id.prefix(8)) : id }

    /// `0xbff8…3a1c` for long hex strings.
    static func shortHex(_ hex: String) -> String {
        hex.count > 13 ? String(hex.prefix(6)) + "…" + String(hex.suffix(4)) : hex
    }

    /// Cuts text to `max` characters with a trailing ellipsis.
    static func clip(_ text: String, _ max: Int) -> String {
        text.count > max ? String(text.prefix(max - 1)) + "…" : text
    }

    /// Replaces control characters (C0, DEL, C1) with `?`.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            ($0.value < 0x20 || (0x7f...0x9f).contains($0.value)) ? "?" : $0
        }))
    }
}
