/// How much of a large ledger the page lists row by row.
///
/// Charts and totals always cover every payment in the window; only lists are capped, so that a
/// ledger of 100,000 payments still makes a file of bounded size (under 2 MiB) that a browser
/// opens at once. What is cut is said on the page, with the command that shows all of it.
public struct ReportLimits: Sendable, Equatable {
    /// Rows of the payment table (the newest).
    public var paymentRows: Int
    /// Rows of the per-host and per-session tables (the largest; the rest summed in one row).
    public var groupRows: Int
    /// Rows of the "not resolved" list (the oldest first: they have waited longest).
    public var attentionRows: Int

    /// Creates limits; the defaults keep a 100,000-payment report near 0.5 MiB.
    public init(paymentRows: Int = 1_000, groupRows: Int = 25, attentionRows: Int = 12) {
        self.paymentRows = max(0, paymentRows)
        self.groupRows = max(1, groupRows)
        self.attentionRows = max(0, attentionRows)
    }
}
