import GRDB
import Ledger

extension SQLiteLedger {
    /// Runs raw SQL outside the payment API: for tests that simulate other programs, damage and
    /// newer versions. Never used by Purse itself.
    public func executeRaw(_ sql: String) throws(LedgerError) {
        do { try dbQueue.writeWithoutTransaction { try $0.execute(sql: sql) } } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// The first column of the first row of a query, as text (for checking pragmas in tests).
    public func queryString(_ sql: String) throws(LedgerError) -> String? {
        do { return try dbQueue.read { try String.fetchOne($0, sql: sql) } } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// How SQLite would run `sql` (the `detail` lines of `EXPLAIN QUERY PLAN`), its parameters
    /// bound to NULL: for tests that a query uses the index meant for it.
    public func queryPlan(_ sql: String) throws(LedgerError) -> [String] {
        do {
            return try dbQueue.read { db in
                // Every `?` is a parameter: the ledger's queries put none inside literals.
                let nulls = StatementArguments(Array(repeating: nil as String?, count: sql.filter { $0 == "?" }.count))
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: nulls).map { $0["detail"] as String }
            }
        } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }
}
