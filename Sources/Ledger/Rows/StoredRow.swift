/// One row read from a ledger backend, as the shared decoders see it: values by column index.
///
/// Both backends store the same columns with the same meaning (text, integer money in the
/// token's smallest unit and in micros, Unix milliseconds in UTC), so one decoder per record
/// (`PaymentRowDecoder`, `SessionRowDecoder`, `ApprovalRowDecoder`) serves SQLite (GRDB rows) and
/// PostgreSQL (libpq's text values) alike: a column added to one backend and forgotten in the
/// other fails the shared ledger suite instead of drifting silently.
protocol StoredRow {
    /// The column names, in order.
    var storedColumns: [String] { get }
    /// The index of the column `name`, or nil.
    func columnIndex(_ name: String) -> Int?
    /// The text at `index`, nil for NULL.
    func text(at index: Int) throws(LedgerError) -> String?
    /// The integer at `index`, nil for NULL; a value that is not an integer is corruption.
    func integer(at index: Int) throws(LedgerError) -> Int64?
}

/// Reads named columns of one row for the small records (sessions, approvals), where a name
/// lookup per value costs nothing next to the round trip that fetched them.
struct NamedColumns<Row: StoredRow> {
    let row: Row
    /// Where the row came from, for the corruption message.
    let location: String
    let table: String

    func text(_ name: String) throws(LedgerError) -> String {
        guard let v = try optionalText(name) else { throw corrupt(name, "NULL") }
        return v
    }

    func optionalText(_ name: String) throws(LedgerError) -> String? {
        guard let i = row.columnIndex(name) else { throw corrupt(name, "missing column") }
        return try row.text(at: i)
    }

    func integer(_ name: String) throws(LedgerError) -> Int64 {
        guard let v = try optionalInteger(name) else { throw corrupt(name, "NULL") }
        return v
    }

    func optionalInteger(_ name: String) throws(LedgerError) -> Int64? {
        guard let i = row.columnIndex(name) else { throw corrupt(name, "missing column") }
        return try row.integer(at: i)
    }

    func corrupt(_ column: String, _ value: String) -> LedgerError {
        .corrupt(path: location, detail: "\(table).\(column) holds \(value.prefix(80)), which the ledger never writes")
    }
}
