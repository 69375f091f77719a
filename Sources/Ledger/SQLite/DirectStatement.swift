import Foundation
import GRDB
import GRDBSQLite

/// One of the connection's cached statements, run through SQLite's C API: parameters bound by
/// position from `StoredValue`s, integer columns read by name. For the statements of every paid
/// request's ledger writes: the reservation's budget read and insert, and a status change.
///
/// Why: `perf record` of `purse-bench e2e` put about half of the reservation's insert in GRDB's
/// argument handling rather than in SQLite: `StatementArguments` boxes every value as an
/// existential and converts it again to bind it, and a key path instantiated on each call
/// demangled its type. Bound straight from an enum, each of these statements costs what SQLite
/// does. Nothing else changes: the same cached statement, the same busy handler, errors as
/// GRDB's `DatabaseError`.
struct DirectStatement {
    private let db: Database
    private let statement: Statement

    /// The connection's cached statement for `sql` (prepared on first use).
    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Runs the statement to its end with `values` bound to its parameters 1…n.
    func execute(_ values: [StoredValue]) throws {
        let s = statement.sqliteStatement
        try bind(values)
        defer { sqlite3_reset(s) }
        let code = sqlite3_step(s)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs a statement that answers one row with `values` bound, and returns the integers of
    /// its columns `names` (NULL reads as 0); nil when it answers no row.
    func integers(_ values: [StoredValue], columns names: [String]) throws -> [Int64]? {
        let s = statement.sqliteStatement
        try bind(values)
        defer { sqlite3_reset(s) }  // releases the read at once
        let code = sqlite3_step(s)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw error(code) }
        let count = sqlite3_column_count(s)
        return try names.map { name in
            // Compared as C strings: no String made per column on every reservation.
            guard let index = (0..<count).first(where: { strcmp(sqlite3_column_name(s, $0), name) == 0 }) else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no column \(name)", sql: statement.sql)
            }
            return sqlite3_column_int64(s, index)
        }
    }

    /// Resets the statement and binds `values` to its parameters 1…n (there must be as many).
    private func bind(_ values: [StoredValue]) throws {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        guard Int(sqlite3_bind_parameter_count(s)) == values.count else {
            throw DatabaseError(resultCode: .SQLITE_RANGE, message: "\(values.count) values for \(sqlite3_bind_parameter_count(s)) parameters",
                                sql: statement.sql)
        }
        for (index, value) in zip(Int32(1)..., values) {
            let code: Int32
            switch value {
            case let .text(text): code = sqlite3_bind_text(s, index, text, Int32(text.utf8.count), Self.transient)
            case let .integer(n): code = sqlite3_bind_int64(s, index, n)
            case .null: code = sqlite3_bind_null(s, index)
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// SQLite copies the text (`SQLITE_TRANSIENT`): the Swift string's bytes live only for the call.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
