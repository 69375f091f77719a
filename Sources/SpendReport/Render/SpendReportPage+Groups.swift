import Ledger

extension SpendReportPage {
    /// Spend per host or tool: one row each, the largest first, with a bar and the exact figures.
    static func payees(_ m: SpendReportModel) -> String {
        let scale = (m.payees.map { $0.settledMicros &+ $0.pendingMicros } + [m.otherPayees.map { $0.settledMicros &+ $0.pendingMicros } ?? 0]).max() ?? 0
        var h = "<section id=\"by-host\"><h2>Spend per host and tool</h2>\n"
        h += "<table><thead><tr><th>Host or tool</th><th class=\"bar\">Spend</th><th class=\"num\">Settled</th><th class=\"num\">Pending</th><th class=\"num\">Released</th><th class=\"num\">Payments</th></tr></thead><tbody>\n"
        for t in m.payees {
            let label = PayeeLabel(t.key)
            h += "<tr data-host=\"\(HTMLText.escape(t.key))\" data-kind=\"\(label.kind.rawValue)\"><td>\(payee(t.key))</td>"
            h += "<td class=\"bar\">\(InlineBar.share(settled: t.settledMicros, pending: t.pendingMicros, scale: scale, label: "\(label.name): \(MoneyText.display(t.settledMicros, m.symbol)) settled, \(MoneyText.display(t.pendingMicros, m.symbol)) pending"))</td>"
            h += totalCells(t, m.symbol) + "</tr>\n"
        }
        if let other = m.otherPayees {
            h += "<tr data-other=\"\(m.otherPayeeCount)\"><td class=\"muted\">\(grouped(m.otherPayeeCount)) more hosts and tools</td>"
            h += "<td class=\"bar\">\(InlineBar.share(settled: other.settledMicros, pending: other.pendingMicros, scale: scale, label: "the rest"))</td>"
            h += totalCells(other, m.symbol) + "</tr>\n"
        }
        h += "</tbody><tfoot><tr id=\"by-host-total\"><td>All</td><td></td>" + totalCells(m.total, m.symbol) + "</tr></tfoot></table>\n"
        if m.otherPayees != nil {
            h += "<p class=\"note\">The \(m.payees.count) largest are listed; <code>purse spend-log --format json</code> has every one under <code>totals.byHost</code>.</p>\n"
        }
        return h + "</section>\n"
    }

    /// Spend per session, newest session first, with its kind, machine and label.
    static func sessions(_ m: SpendReportModel) -> String {
        let scale = (m.sessions.map { $0.settledMicros &+ $0.pendingMicros } + [m.otherSessions.map { $0.settledMicros &+ $0.pendingMicros } ?? 0]).max() ?? 0
        var h = "<section id=\"by-session\"><h2>Spend per session</h2>\n"
        h += "<table><thead><tr><th>Session</th><th>Started (UTC)</th><th>Kind</th><th>Machine</th><th class=\"bar\">Spend</th><th class=\"num\">Settled</th><th class=\"num\">Pending</th><th class=\"num\">Released</th><th class=\"num\">Payments</th></tr></thead><tbody>\n"
        for t in m.sessions {
            let s = m.sessionRecords[t.key]
            h += "<tr data-session=\"\(HTMLText.escape(t.key))\"><td><code title=\"\(HTMLText.escape(t.key))\">\(HTMLText.escape(t.key))</code>"
            if let label = s?.label { h += "<br><span class=\"note\">\(HTMLText.escape(HTMLText.clip(label, 48)))</span>" }
            if t.key == m.log.currentSessionID, m.window.sessionID == nil { h += " <span class=\"kind\">latest</span>" }
            h += "</td><td class=\"time\">\(s.map { CivilDate.timestamp($0.startedAt) } ?? "—")</td>"
            h += "<td>\(HTMLText.escape(s?.kind ?? "—"))\(s?.clientName.map { "<br><span class=\"note\">\(HTMLText.escape(HTMLText.clip($0, 40)))</span>" } ?? "")</td>"
            h += "<td>\(HTMLText.escape(HTMLText.clip(s?.machine ?? "—", 40)))</td>"
            h += "<td class=\"bar\">\(InlineBar.share(settled: t.settledMicros, pending: t.pendingMicros, scale: scale, label: "session \(t.key)"))</td>"
            h += totalCells(t, m.symbol) + "</tr>\n"
        }
        if let other = m.otherSessions {
            h += "<tr data-other=\"\(m.otherSessionCount)\"><td colspan=\"4\" class=\"muted\">\(grouped(m.otherSessionCount)) older sessions</td>"
            h += "<td class=\"bar\">\(InlineBar.share(settled: other.settledMicros, pending: other.pendingMicros, scale: scale, label: "older sessions"))</td>"
            h += totalCells(other, m.symbol) + "</tr>\n"
        }
        h += "</tbody></table>\n"
        if m.log.sessions.contains(where: { $0.machine == nil }) {
            h += "<p class=\"note\">Sessions recorded before Purse noted the machine show “—”.</p>\n"
        }
        return h + "</section>\n"
    }

    /// Settled, pending, released and count cells of one total.
    static func totalCells(_ t: SpendLogReport.Total, _ symbol: String) -> String {
        money(t.settledMicros, symbol, field: "settled") + money(t.pendingMicros, symbol, field: "pending")
            + money(t.releasedMicros, symbol, field: "released")
            + "<td class=\"num\" data-field=\"count\" data-count=\"\(t.count)\">\(grouped(t.count))</td>"
    }

    /// A payee's name, with a "tool" tag for MCP upstreams; never a link.
    static func payee(_ key: String) -> String {
        let label = PayeeLabel(key)
        let name = HTMLText.escape(HTMLText.clip(label.name, 48))
        switch label.kind {
        case .host: return "<span title=\"\(HTMLText.escape(key))\">\(name)</span>"
        case .tool: return "<span title=\"\(HTMLText.escape(key))\">\(name)</span><span class=\"kind\">MCP tool</span>"
        }
    }
}
