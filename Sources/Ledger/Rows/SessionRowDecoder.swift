import Foundation

/// Turns `session` rows of either backend into `SessionRecord`s (see `StoredRow`).
enum SessionRowDecoder {
    /// Decodes one row of `SELECT * FROM session`.
    static func record<R: StoredRow>(_ row: R, location: String) throws(LedgerError) -> SessionRecord {
        let c = NamedColumns(row: row, location: location, table: "session")
        return SessionRecord(
            id: try c.text("id"), startedAt: LedgerTime.date(try c.integer("started_at")), kind: try c.text("kind"),
            label: try c.optionalText("label"), clientName: try c.optionalText("client_name"),
            pid: Int32(truncatingIfNeeded: try c.integer("pid")), machine: try c.optionalText("machine"))
    }
}
