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

extension NewPayment: EncodableRecord {
    /// The columns, written one by one (the names of `CodingKeys`, the values as `encode(to:)`
    /// gives them to GRDB): GRDB's `Encodable` path builds an encoder and goes through a key and
    /// a dynamic cast per field, inside the reservation's write lock.
    public func encode(to container: inout PersistenceContainer) {
        typealias K = CodingKeys
        container[K.sessionID.rawValue] = sessionID
        container[K.method.rawValue] = method
        container[K.url.rawValue] = url
        container[K.host.rawValue] = host
        container[K.network.rawValue] = network
        container[K.asset.rawValue] = asset
        container[K.assetSymbol.rawValue] = assetSymbol
        container[K.decimals.rawValue] = decimals
        container[K.payTo.rawValue] = payTo
        container[K.amountAtomic.rawValue] = amountAtomic
        container[K.micros.rawValue] = micros
        container[K.scheme.rawValue] = scheme
        container[K.x402Version.rawValue] = x402Version
        container[K.nonce.rawValue] = authorization.value
        container[K.authorizationKind.rawValue] = authorization.kind
        container[K.validBefore.rawValue] = validBefore
        container[K.payer.rawValue] = payer
        container[K.maxAmountAtomic.rawValue] = maxAmountAtomic
        container[K.paymentId.rawValue] = paymentId
        container[K.resource.rawValue] = resource
        container[K.offer.rawValue] = offer
    }
}

// Rows are read by the shared decoders (`PaymentRowDecoder`, `SessionRowDecoder`,
// `ApprovalRowDecoder`, through `SQLiteLedger.paymentRows` and its siblings); GRDB only writes them.
extension PaymentRecord: MutablePersistableRecord {
    public static let databaseTableName = "payment"

    public func encode(to container: inout PersistenceContainer) throws {
        payment.encode(to: &container)
        container["id"] = id == 0 ? nil : id
        container["created_at"] = LedgerTime.millis(createdAt)
        container["updated_at"] = LedgerTime.millis(updatedAt)
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
