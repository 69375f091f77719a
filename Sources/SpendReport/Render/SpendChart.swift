/// The spend-over-time chart: one stacked bar (settled below, pending hatched above) per day,
/// week or month, with a labelled money axis and date axis. Plain SVG, drawn here, no library.
enum SpendChart {
    static let width = 960.0
    static let height = 300.0
    static let left = 84.0, right = 16.0, top = 14.0, bottom = 58.0

    /// The chart as an `<svg>` element.
    static func svg(_ series: SpendSeries, symbol: String) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        let ticks = AxisTicks.ticks(max: series.maxMicros)
        let yMax = Double(ticks.last ?? 1)
        let n = series.buckets.count
        let periodWord = switch series.period {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        }
        let sym = HTMLText.escape(symbol)
        var s = "<svg viewBox=\"0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))\" role=\"img\" aria-labelledby=\"chart-title\" data-period=\"\(series.period.rawValue)\">"
        s += "<title id=\"chart-title\">Spend per \(periodWord) in \(sym): settled and pending</title>"
        // Grid and money axis.
        for t in ticks {
            let y = top + plotH - Double(t) / yMax * plotH
            s += "<line x1=\"\(SVGNumber.text(left))\" x2=\"\(SVGNumber.text(width - right))\" y1=\"\(SVGNumber.text(y))\" y2=\"\(SVGNumber.text(y))\" stroke=\"\(t == 0 ? ReportPalette.muted : ReportPalette.grid)\" stroke-width=\"1\"/>"
            s += "<text x=\"\(SVGNumber.text(left - 8))\" y=\"\(SVGNumber.text(y + 4))\" text-anchor=\"end\" font-size=\"12\" fill=\"\(ReportPalette.muted)\">\(MoneyText.axis(t))</text>"
        }
        s += "<text transform=\"translate(16 \(SVGNumber.text(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(ReportPalette.muted)\">\(sym) per \(periodWord)</text>"
        // Bars.
        let slot = plotW / Double(max(n, 1))
        let barW = max(1, min(48, slot * 0.72))
        for (i, b) in series.buckets.enumerated() {
            let x = left + slot * Double(i) + (slot - barW) / 2
            let hSettled = Double(b.settledMicros) / yMax * plotH
            let hPending = Double(b.pendingMicros) / yMax * plotH
            let base = top + plotH
            s += "<g class=\"bucket\" data-start=\"\(b.start)\" data-settled=\"\(MoneyText.exact(b.settledMicros))\" data-pending=\"\(MoneyText.exact(b.pendingMicros))\">"
            s += "<title>\(HTMLText.escape(b.label)): \(MoneyText.display(b.settledMicros, symbol).htmlEscaped) settled, \(MoneyText.display(b.pendingMicros, symbol).htmlEscaped) pending, \(b.count == 1 ? "1 payment" : "\(b.count) payments")</title>"
            if b.settledMicros > 0 {
                s += "<rect x=\"\(SVGNumber.text(x))\" y=\"\(SVGNumber.text(base - hSettled))\" width=\"\(SVGNumber.text(barW))\" height=\"\(SVGNumber.text(max(1, hSettled)))\" fill=\"\(ReportPalette.settled)\"/>"
            }
            if b.pendingMicros > 0 {
                s += "<rect x=\"\(SVGNumber.text(x))\" y=\"\(SVGNumber.text(base - hSettled - hPending))\" width=\"\(SVGNumber.text(barW))\" height=\"\(SVGNumber.text(max(1, hPending)))\" fill=\"url(#pending-hatch)\"/>"
            }
            s += "</g>"
        }
        // Date axis: at most about 12 labels, evenly thinned, the last bar always labelled.
        let every = max(1, Int((Double(n) / 12).rounded(.up)))
        for (i, b) in series.buckets.enumerated() where (n - 1 - i) % every == 0 {
            let x = left + slot * (Double(i) + 0.5)
            s += "<text x=\"\(SVGNumber.text(x))\" y=\"\(SVGNumber.text(top + plotH + 18))\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(ReportPalette.muted)\">\(HTMLText.escape(b.label))</text>"
        }
        let axisTitle = switch series.period {
        case .day: "Day (UTC)"
        case .week: "Week starting (UTC)"
        case .month: "Month (UTC)"
        }
        s += "<text x=\"\(SVGNumber.text(left + plotW / 2))\" y=\"\(SVGNumber.text(height - 8))\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(ReportPalette.muted)\">\(axisTitle)</text>"
        s += "</svg>"
        return s
    }

    /// The shared definitions (the pending hatch), in a hidden SVG at the top of the page.
    static let definitions = """
    <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>\
    <pattern id="pending-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
    <rect width="6" height="6" fill="\(ReportPalette.pending)"/><rect width="2" height="6" fill="#ffffff" fill-opacity=".45"/>\
    </pattern></defs></svg>
    """
}

extension String {
    /// This text escaped for HTML (see `HTMLText.escape`).
    var htmlEscaped: String { HTMLText.escape(self) }
}
