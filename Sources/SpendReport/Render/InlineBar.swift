/// Small horizontal bars inside table rows and gauges, as inline SVG.
enum InlineBar {
    /// Settled and pending as one stacked bar, scaled so that `scale` micros fill the width.
    static func share(settled: Int64, pending: Int64, scale: Int64, label: String) -> String {
        let k = scale > 0 ? 100 / Double(scale) : 0
        let ws = Double(settled) * k, wp = Double(pending) * k
        var s = "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">"
        s += "<rect width=\"100\" height=\"10\" fill=\"\(ReportPalette.track)\"/>"
        if settled > 0 { s += "<rect width=\"\(SVGNumber.text(max(0.5, ws)))\" height=\"10\" fill=\"\(ReportPalette.settled)\"/>" }
        if pending > 0 {
            s += "<rect x=\"\(SVGNumber.text(ws))\" width=\"\(SVGNumber.text(max(0.5, wp)))\" height=\"10\" fill=\"url(#pending-hatch)\"/>"
        }
        return s + "</svg>"
    }

    /// A gauge: the used share of a limit, coloured blue, then orange past 80 %, red when used up.
    static func gauge(_ g: BudgetGauge, label: String) -> String {
        let used = g.fraction * 100
        let colour = g.fraction >= 1 ? ReportPalette.alert : g.fraction >= 0.8 ? ReportPalette.warning : ReportPalette.settled
        var s = "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">"
        s += "<rect width=\"100\" height=\"10\" fill=\"\(ReportPalette.track)\"/>"
        if g.usedMicros > 0 { s += "<rect width=\"\(SVGNumber.text(max(0.8, used)))\" height=\"10\" fill=\"\(colour)\"/>" }
        return s + "</svg>"
    }
}
