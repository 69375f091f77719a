import GRDB

extension Ledger {
    /// Runs raw SQL outside the payment API: for tests (simulating other programs and newer
    /// versions) and future repair tooling only. Internal on purpose.
    func executeRaw(_ sql: String) throws(LedgerError) {
        do { try dbQueueForTesting.writeWithoutTransaction { try $0.execute(sql: sql) } } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// The first column of the first row of a query, as text (for checking pragmas in tests).
    func queryString(_ sql: String) throws(LedgerError) -> String? {
        do { return try dbQueueForTesting.read { try String.fetchOne($0, sql: sql) } } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }
}
