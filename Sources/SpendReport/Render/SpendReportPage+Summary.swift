import Ledger

extension SpendReportPage {
    /// The "needs attention" box: unresolved payments, what they hold, and what to do.
    static func attention(_ m: SpendReportModel) -> String {
        guard m.unresolvedCount > 0 else {
            if m.isEmpty { return "" }
            return "<section id=\"attention\" class=\"ok\" data-unresolved=\"0\"><p><b>Nothing pending.</b> Every payment in this report is settled or released.</p></section>\n"
        }
        let unknown = m.unresolvedByStatus[.unknown] ?? 0
        let parts = [PaymentStatus.unknown, .sent, .reserved].compactMap { s -> String? in
            guard let n = m.unresolvedByStatus[s], n > 0 else { return nil }
            return "\(grouped(n)) \(s.rawValue)"
        }
        var h = "<section id=\"attention\" class=\"attention\(unknown > 0 ? " unknown" : "")\" data-unresolved=\"\(m.unresolvedCount)\" data-amount=\"\(MoneyText.exact(m.unresolvedMicros))\">\n"
        h += "<h2>\(count(m.unresolvedCount)) not resolved (\(parts.joined(separator: ", ")))</h2>\n"
        h += "<p>\(HTMLText.escape(MoneyText.display(m.unresolvedMicros, m.symbol))) still counts against every budget. "
        h += "Purse signed \(m.unresolvedCount == 1 ? "this payment" : "these payments") but does not know yet whether the seller took the money"
        h += unknown > 0 ? " (unknown: the paid request got no usable answer). " : ". "
        h += "<b>What to do:</b> run <code>purse reconcile</code>. It asks the chain about each authorization, marks the used ones settled and releases the expired ones. <code>purse serve</code> also does this when it starts.</p>\n"
        h += "<table><thead><tr><th>Time (UTC)</th><th>Host or tool</th><th class=\"num\">Amount</th><th>Status</th><th>Why</th></tr></thead><tbody>\n"
        for p in m.unresolved {
            h += "<tr class=\"\(p.status == .unknown ? "unknown" : "open")\" data-id=\"\(p.id)\" data-status=\"\(p.status.rawValue)\">"
            h += "<td class=\"time\">\(CivilDate.timestamp(p.createdAt))</td><td>\(payee(p.host.name))</td>"
            h += "<td class=\"num\" data-amount=\"\(MoneyText.exact(p.micros.value))\">\(HTMLText.escape(paymentAmount(p)))</td>"
            h += "<td>\(statusBadge(p.status))</td><td>\(HTMLText.escape(HTMLText.clip(p.error ?? "—", 120)))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        if m.unresolvedCount > m.unresolved.count {
            h += "<p class=\"note\">The \(grouped(m.unresolved.count)) oldest are listed; <code>purse spend-log --status unknown</code> (or <code>sent</code>, <code>reserved</code>) lists every one.</p>\n"
        }
        return h + "</section>\n"
    }

    /// The headline cards: settled, pending, released, count, today and the last 7 days.
    static func summary(_ m: SpendReportModel) -> String {
        let t = m.total
        var h = "<section id=\"summary\" aria-label=\"Totals\"><div class=\"cards\">\n"
        func card(_ id: String, _ cls: String, _ label: String, _ micros: Int64) {
            h += "<div class=\"card \(cls)\" id=\"\(id)\" data-amount=\"\(MoneyText.exact(micros))\"><div class=\"label\">\(label)</div><div class=\"value\">\(MoneyText.axis(micros))<span class=\"unit\">\(HTMLText.escape(m.symbol))</span></div></div>\n"
        }
        card("total-settled", "settled", "Spent (settled)", t.settledMicros)
        card("total-pending", "pending", "Pending", t.pendingMicros)
        card("total-released", "", "Released", t.releasedMicros)
        h += "<div class=\"card\" id=\"total-count\" data-count=\"\(t.count)\"><div class=\"label\">Payments</div><div class=\"value\">\(grouped(t.count))</div></div>\n"
        if let d = m.today { card("today", "", "Today (UTC)", d.settled &+ d.pending) }
        if let w = m.lastWeek { card("last-7-days", "", "Last 7 days", w.settled &+ w.pending) }
        h += "</div>"
        if m.today != nil || m.lastWeek != nil {
            h += "<p class=\"note\">Today and the last 7 days count settled and pending payments, as the budgets do.</p>"
        }
        return h + "</section>\n"
    }

    /// The friendly page body when there is nothing to show.
    static func emptyState(_ m: SpendReportModel) -> String {
        let scope = m.window.since == nil ? "yet" : "in this period"
        return """
        <section id="empty" class="empty"><strong>No payments \(scope).</strong>\
        Purse has not spent anything\(m.window.since == nil ? "" : " since \(CivilDate.timestamp(m.window.since!)) UTC"). \
        When an agent pays through <code>paid_fetch</code> or <code>purse fetch</code>, its payments, hosts and \
        sessions appear here. The limits below are what it may spend.</section>

        """
    }

    /// The spend-over-time chart with its legend.
    static func chart(_ m: SpendReportModel) -> String {
        let word = switch m.series.period {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        }
        return """
        <section id="over-time" class="chart"><h2>Spend per \(word)</h2>
        \(SpendChart.svg(m.series, symbol: m.symbol))
        <div class="legend"><span><span class="key" style="background:\(ReportPalette.settled)"></span>Settled</span>\
        <span><svg class="key" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" fill="url(#pending-hatch)"/></svg>Pending (reserved, sent, unknown)</span>\
        <span>Released payments are not drawn: they cost nothing.</span></div>
        </section>

        """
    }
}
