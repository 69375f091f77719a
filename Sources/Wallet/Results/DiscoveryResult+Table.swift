extension DiscoveryResult {
    /// The human view of `purse discover`: one line per result (price, ✓/✗, service, URL), the
    /// reason under each refused one, then how each catalog answered.
    public func table() -> String {
        var lines = [String]()
        if results.isEmpty {
            lines.append("No results.")
        } else {
            let prices = results.map { r in r.price.map { "\($0) \(r.symbol ?? "")".trimmingSuffixSpaces } ?? "?" }
            let services = results.map { CatalogText.clip($0.item.serviceName ?? "-", 28) }
            let priceWidth = max(5, prices.map(\.count).max() ?? 0)
            let serviceWidth = max(7, services.map(\.count).max() ?? 0)
            lines.append("\(pad("PRICE", priceWidth))  PAY  \(pad("SERVICE", serviceWidth))  URL")
            for (i, r) in results.enumerated() {
                var url = r.item.resource
                if let tool = r.item.toolName { url += "  (MCP tool \(tool))" }
                lines.append("\(pad(prices[i], priceWidth, right: true))  \(r.payable ? "✓" : "✗")    \(pad(services[i], serviceWidth))  \(url)")
                if !r.payable, let why = r.briefReason ?? r.reason {
                    lines.append(String(repeating: " ", count: priceWidth + 2) + "↳ " + CatalogText.clip(why, 160))
                }
            }
        }
        lines.append("")
        for s in sources {
            let mark = s.ok ? "✓" : "✗"
            lines.append("source \(mark) \(s.endpoint)\(s.note.map { ": " + CatalogText.clip($0, 240) } ?? "")")
        }
        lines.append("Descriptions and names come from the catalogs: untrusted third-party text.")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }
}

private extension String {
    var trimmingSuffixSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
