import Foundation
import GRDB
import PurseCore

// How the ledger's typed values and records map to SQLite columns (a payment's: `PaymentColumns`);
// times are Unix milliseconds; money is integers.

extension HostName: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { name.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> HostName? { String.fromDatabaseValue(dbValue).map { HostName($0) } }
}

extension Address: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { checksummed.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Address? {
        String.fromDatabaseValue(dbValue).flatMap { try? Address(parsing: $0) }
    }
}

extension ChainAccount: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { text.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ChainAccount? {
        String.fromDatabaseValue(dbValue).flatMap { try? ChainAccount(parsing: $0) }
    }
}

extension Nonce32: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { hex.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Nonce32? {
        String.fromDatabaseValue(dbValue).flatMap { try? Nonce32(hex: $0) }
    }
}

extension Micros: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { value.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Micros? { Int64.fromDatabaseValue(dbValue).map(Micros.init) }
}

/// The payment table, for the query builder (`payments(_:)`); rows are written by position
/// (`insert`) and read by the shared decoder.
extension PaymentRecord: TableRecord {
    public static let databaseTableName = "payment"
}

extension SQLiteLedger {
    /// The reservation's INSERT of every `PaymentColumns` column (the id is SQLite's).
    static let insertPaymentSQL = "INSERT INTO payment (\(PaymentColumns.names.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: PaymentColumns.names.count).joined(separator: ", ") + ")"

    /// Inserts `record` (whatever its id) through the connection's cached statement, and returns
    /// it with the id SQLite gave it.
    static func insert(_ record: PaymentRecord, _ db: Database) throws -> PaymentRecord {
        try DirectStatement(db, sql: insertPaymentSQL).execute(PaymentColumns.values(record))
        var inserted = record
        inserted.id = db.lastInsertedRowID
        return inserted
    }
}

// Rows are read by the shared decoders (`PaymentRowDecoder`, `SessionRowDecoder`,
// `ApprovalRowDecoder`, through `SQLiteLedger.paymentRows` and its siblings).
extension SessionRecord: PersistableRecord {
    public static let databaseTableName = "session"

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["started_at"] = LedgerTime.millis(startedAt)
        container["kind"] = kind
        container["label"] = label
        container["client_name"] = clientName
        container["pid"] = Int64(pid)
        container["machine"] = machine
    }
}

extension SQLiteLedger {
    /// The payments a query returns, through one shared decoder (column indexes found once,
    /// accounts parsed once).
    func paymentRows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [PaymentRecord] {
        var decoder = PaymentRowDecoder(location: path)
        var out: [PaymentRecord] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() { out.append(try decoder.record(row)) }
        return out
    }

    /// The sessions a query returns.
    func sessionRows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [SessionRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws(LedgerError) in try SessionRowDecoder.record(row, location: path) }
    }

    /// The approvals a query returns.
    func approvalRows(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> [ApprovalRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws(LedgerError) in try ApprovalRowDecoder.record(row, location: path) }
    }
}
