import PostgresClient

/// One row of a PostgreSQL answer for the shared decoders (`StoredRow`): libpq's text values,
/// integers parsed from their decimal text.
struct PostgresRow: StoredRow {
    let rows: PostgresRows
    let row: Int
    /// Where the answer came from, for the corruption message.
    let location: String

    var storedColumns: [String] { rows.columns }

    func columnIndex(_ name: String) -> Int? { rows.columns.firstIndex(of: name) }

    func text(at index: Int) throws(LedgerError) -> String? { rows.rows[row][index] }

    func integer(at index: Int) throws(LedgerError) -> Int64? {
        guard let text = rows.rows[row][index] else { return nil }
        guard let value = Int64(text) else {
            throw .corrupt(path: location, detail: "\(rows.columns[index]) holds \(text.prefix(40)), which is not an integer")
        }
        return value
    }
}

extension PostgresRows {
    /// Every row, as `StoredRow`s.
    func stored(location: String) -> [PostgresRow] {
        (0..<count).map { PostgresRow(rows: self, row: $0, location: location) }
    }
}
