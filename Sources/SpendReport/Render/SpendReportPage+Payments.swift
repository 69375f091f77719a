import Ledger
import PurseCore

extension SpendReportPage {
    /// The payment table, newest first, capped with a note saying where the rest is.
    static func payments(_ m: SpendReportModel) -> String {
        var h = "<section id=\"payments\"><h2>Payments</h2>\n"
        h += "<table><thead><tr><th>Time (UTC)</th><th>Host or tool</th><th class=\"num\">Amount</th><th>Network</th><th>Status</th><th>Transaction</th></tr></thead><tbody>\n"
        for p in m.tableRows {
            let cls = p.status == .unknown ? " class=\"unknown\"" : (p.status == .reserved || p.status == .sent) ? " class=\"open\"" : ""
            h += "<tr\(cls) data-id=\"\(p.id)\" data-status=\"\(p.status.rawValue)\" data-host=\"\(HTMLText.escape(p.host.name))\" data-network=\"\(HTMLText.escape(p.network))\" data-session=\"\(HTMLText.escape(p.sessionID))\" data-version=\"\(p.x402Version)\""
            if let tx = p.txHash { h += " data-tx=\"\(HTMLText.escape(tx))\"" }
            h += "><td class=\"time\">\(CivilDate.timestamp(p.createdAt))</td><td>\(payee(p.host.name))</td>"
            h += "<td class=\"num\" data-amount=\"\(MoneyText.exact(p.micros.value))\">\(HTMLText.escape(paymentAmount(p)))</td>"
            h += "<td>\(network(p.network, m.explorer))</td><td>\(statusBadge(p.status))\(p.x402Version == 1 ? " <span class=\"kind\">x402 v1</span>" : "")</td>"
            h += "<td>\(transaction(p, m.explorer))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        let all = m.log.payments.count
        if all > m.tableRows.count {
            h += "<p class=\"note\" id=\"table-capped\" data-shown=\"\(m.tableRows.count)\" data-total=\"\(all)\">Showing the \(grouped(m.tableRows.count)) newest of \(grouped(all)) payments; the charts and totals above cover all of them. Every payment: <code>purse spend-log --format csv</code>.</p>\n"
        }
        return h + "</section>\n"
    }

    /// The amount in the payment's own token (`0.01 USDC`).
    static func paymentAmount(_ p: PaymentRecord) -> String {
        AmountFormat.decimalString(atomic: p.amountAtomic, decimals: p.decimals, minFractionDigits: 2) + " " + p.assetSymbol
    }

    /// A status badge; pending statuses say so.
    static func statusBadge(_ s: PaymentStatus) -> String {
        let text = switch s {
        case .settled: "settled"
        case .failed: "released"
        case .reserved: "reserved · pending"
        case .sent: "sent · pending"
        case .unknown: "unknown · pending"
        }
        return "<span class=\"badge s-\(s.rawValue)\" title=\"status \(s.rawValue)\">\(text)</span>"
    }

    /// `Base Sepolia` with the CAIP-2 id on hover, `(local)` for a chain on this machine.
    static func network(_ caip2: String, _ explorer: BlockExplorer) -> String {
        let local = explorer.localNetworks.contains(caip2) || BlockExplorer.alwaysLocal.contains(caip2)
        let name = BlockExplorer.displayName(network: caip2).map { HTMLText.escape($0) } ?? HTMLText.escape(HTMLText.clip(caip2, 40))
        return "<span title=\"\(HTMLText.escape(caip2))\">\(name)</span>\(local ? " <span class=\"note\">(local)</span>" : "")"
    }

    /// The settlement transaction: a link to the explorer where one is known, else the hash.
    static func transaction(_ p: PaymentRecord, _ explorer: BlockExplorer) -> String {
        guard let tx = p.txHash else { return "<span class=\"muted\">—</span>" }
        let short = tx.count > 14 ? String(tx.prefix(8)) + "…" + String(tx.suffix(6)) : tx
        if let url = explorer.transactionURL(network: p.network, txHash: tx) {
            return "<a href=\"\(HTMLText.escape(url))\" title=\"\(HTMLText.escape(tx))\" rel=\"noreferrer\"><code>\(HTMLText.escape(short))</code></a>"
        }
        return "<code title=\"\(HTMLText.escape(tx))\">\(HTMLText.escape(short))</code>"
    }
}
