/// The answer to one statement: column names and rows of text values (nil = SQL NULL).
///
/// Values are PostgreSQL's text output (`42`, `t`, `2026-11-30 08:00:00+00`, `\x00ff` for bytea);
/// convert them where they are used (`Int64(row[0]!)`).
public struct PostgresRows: Sendable, Equatable {
    /// Column names, in order.
    public let columns: [String]
    /// Rows; each has one value per column.
    public let rows: [[String?]]
    /// The command tag, such as `INSERT 0 1`, `SELECT 3` or `COMMIT`.
    public let commandTag: String
    /// Rows inserted, updated, deleted, selected, ... as the server counted them (nil when the
    /// command reports none, such as `BEGIN`).
    public let affectedRows: Int?

    public init(columns: [String], rows: [[String?]], commandTag: String, affectedRows: Int?) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
        self.affectedRows = affectedRows
    }

    /// The number of rows.
    public var count: Int { rows.count }
    /// True when there are no rows.
    public var isEmpty: Bool { rows.isEmpty }
    /// The first column of the first row, or nil (no rows, or NULL).
    public var scalar: String? { rows.first?.first ?? nil }

    /// The value of `column` in row `row`, or nil (NULL, or no such column).
    public func value(_ row: Int, _ column: String) -> String? {
        guard let i = columns.firstIndex(of: column) else { return nil }
        return rows[row][i]
    }
}
