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
}
