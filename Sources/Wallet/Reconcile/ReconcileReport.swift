/// What a reconcile pass found and did.
public struct ReconcileReport: Sendable, Equatable {
    /// One line per row looked at.
    public struct Entry: Sendable, Equatable {
        /// The ledger row.
        public let id: Int64
        /// `settled`, `released`, `pending` or `error`.
        public let action: String
        /// Details for a human.
        public let detail: String
    }

    /// The rows looked at.
    public var entries: [Entry] = []

    /// Rows found settled on chain.
    public var settled: Int { entries.filter { $0.action == "settled" }.count }
    /// Rows released (expired unused).
    public var released: Int { entries.filter { $0.action == "released" }.count }
    /// Rows left pending (still valid, unused).
    public var pending: Int { entries.filter { $0.action == "pending" }.count }
    /// Rows whose chain could not be asked.
    public var errors: Int { entries.filter { $0.action == "error" }.count }

    /// One line summary.
    public var summary: String {
        "reconcile: \(entries.count) unresolved; \(settled) settled on chain, \(released) released (expired unused), \(pending) still pending, \(errors) errors"
    }
}
