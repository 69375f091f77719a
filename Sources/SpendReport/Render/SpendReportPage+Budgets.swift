import PurseCore

extension SpendReportPage {
    /// Each limit in force as a gauge of used and left.
    static func budgets(_ m: SpendReportModel) -> String {
        var h = "<section id=\"budgets\"><h2>Budgets</h2>\n"
        guard !m.gauges.isEmpty else {
            return h + "<p class=\"muted\">No limits are configured.</p></section>\n"
        }
        h += "<div class=\"gauges\">\n"
        for g in m.gauges {
            let sym = m.symbol
            let title: String
            let detail: String
            switch g.limit {
            case .perRequest:
                title = "Per request: up to \(MoneyText.display(g.limitMicros, sym).htmlEscaped)"
                detail = g.usedMicros > 0
                    ? "largest payment here \(MoneyText.display(g.usedMicros, sym).htmlEscaped)"
                    : "no payment yet"
            case .session:
                let who = g.sessionID.map { "<code>\(HTMLText.escape($0))</code>" } ?? "this session"
                title = (m.window.sessionID == nil ? "Latest session " : "Session ") + who
                detail = used(g, sym)
            case .daily:
                title = "Last 24 hours, every session"
                detail = used(g, sym)
            case .hostDaily:
                title = "\(payee(g.host ?? "?")), last 24 hours"
                detail = used(g, sym)
            }
            let pct = Int((g.fraction * 100).rounded())
            let state = g.fraction >= 1 ? " (used up)" : g.fraction >= 0.8 ? " (nearly used)" : ""
            h += "<div class=\"gauge\" data-limit=\"\(g.limit.rawValue)\"\(g.host.map { " data-host=\"\(HTMLText.escape($0))\"" } ?? "")"
            h += " data-limit-amount=\"\(MoneyText.exact(g.limitMicros))\" data-used=\"\(MoneyText.exact(g.usedMicros))\" data-left=\"\(MoneyText.exact(g.leftMicros))\">"
            h += "<div class=\"head\"><span>\(title)</span><span class=\"num\">\(detail)\(state)</span></div>"
            h += InlineBar.gauge(g, label: "\(pct) % used") + "</div>\n"
        }
        h += "</div>\n<p class=\"note\">Pending payments count as used until they are resolved. The 24-hour windows are rolling and cover the whole ledger, whatever period this report shows.</p>\n"
        return h + "</section>\n"
    }

    /// `0.03 used of 1.00 USDC · 0.97 left`.
    static func used(_ g: BudgetGauge, _ symbol: String) -> String {
        "\(MoneyText.axis(g.usedMicros)) used of \(MoneyText.display(g.limitMicros, symbol).htmlEscaped) · <b>\(MoneyText.axis(g.leftMicros)) left</b>"
    }
}
