import Foundation
import GRDB
import PurseCore

// How the ledger's typed values and records map to SQLite columns. The columns are named by
// `NewPayment.CodingKeys`; times are Unix milliseconds; money is integers.

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

extension NewPayment: FetchableRecord, EncodableRecord {}

extension PaymentRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "payment"

    public init(row: Row) throws {
        var decoder = PaymentRowDecoder()
        self = try decoder.record(row)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        try payment.encode(to: &container)
        container["id"] = id == 0 ? nil : id
        container["created_at"] = SQLiteLedger.millis(createdAt)
        container["updated_at"] = SQLiteLedger.millis(updatedAt)
        container["status"] = status.rawValue
        container["tx_hash"] = txHash
        container["error"] = error
        container["http_status"] = httpStatus
        container["signed_payload"] = signedPayload
        container["receipt"] = receipt
        container["amount_source"] = amountSource?.rawValue
        container["amount_note"] = amountNote
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension SessionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"

    public init(row: Row) throws {
        self.init(id: row["id"], startedAt: SQLiteLedger.date(row["started_at"]), kind: row["kind"], label: row["label"],
                  clientName: row["client_name"], pid: Int32(truncatingIfNeeded: row["pid"] as Int64), machine: row["machine"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["started_at"] = SQLiteLedger.millis(startedAt)
        container["kind"] = kind
        container["label"] = label
        container["client_name"] = clientName
        container["pid"] = Int64(pid)
        container["machine"] = machine
    }
}

extension ApprovalRecord: FetchableRecord {
    /// Reads an `approval` row; an unknown status or a malformed stored value is corruption.
    public init(row: Row) throws {
        let raw: String = row["status"]
        guard let status = ApprovalStatus(rawValue: raw) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "approval has unknown status \(raw)")
        }
        guard let asset: ChainAccount = row["asset"], let payTo: ChainAccount = row["pay_to"], let payer: ChainAccount = row["payer"] else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "approval has a malformed address")
        }
        let terms = ApprovalTerms(host: row["host"], network: row["network"], asset: asset, payTo: payTo, payer: payer,
                                  amountAtomic: row["amount_atomic"])
        let approval = NewApproval(
            id: row["id"], sessionID: row["session_id"], method: row["method"], url: row["url"], assetSymbol: row["asset_symbol"],
            decimals: row["decimals"], micros: row["micros"], paymentFlow: row["payment_flow"], terms: terms,
            expiresAt: SQLiteLedger.date(row["expires_at"]))
        self.init(approval: approval, createdAt: SQLiteLedger.date(row["created_at"]), status: status,
                  decidedAt: (row["decided_at"] as Int64?).map(SQLiteLedger.date), usedAt: (row["used_at"] as Int64?).map(SQLiteLedger.date),
                  usedNonce: row["used_nonce"])
    }
}
