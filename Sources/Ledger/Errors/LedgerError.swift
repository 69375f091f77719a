import GRDB
import PurseCore

/// Why the ledger could not open, read or write, or refused a status change.
public enum LedgerError: CodedError, Equatable {
    /// The file could not be opened for a reason not covered below (path, reason).
    case openFailed(path: String, reason: String)
    /// The file is a damaged SQLite database (path, what was found). The file was not modified.
    case corrupt(path: String, detail: String)
    /// The file is not a SQLite database, or not a Purse ledger (path, what was found). Not modified.
    case notADatabase(path: String, detail: String)
    /// The file was written by a newer Purse: it has migrations this build does not know. Not modified.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Another connection held the write lock longer than the busy timeout.
    case busy(path: String, timeoutSeconds: Double)
    /// The file or its directory is not writable.
    case readOnly(path: String, detail: String)
    /// The disk is full.
    case diskFull(path: String)
    /// A status change that the payment life cycle does not allow.
    case badTransition(id: Int64, from: PaymentStatus, to: PaymentStatus)
    /// No payment row has this id.
    case paymentNotFound(id: Int64)
    /// No session has this id.
    case unknownSession(String)
    /// An amount or decimals that cannot be converted to micros.
    case badAmount(String)
    /// An argument that cannot be stored (empty session id, negative limit, ...).
    case invalidArgument(String)
    /// Any other SQLite failure (path, SQLite result code, SQLite message).
    case database(path: String, resultCode: Int32, detail: String)

    // PostgreSQL (the location is the URL without anything secret; `detail` starts with the
    // client's own `pg.*` code).

    /// The server cannot be reached or refuses us: down, wrong address, authentication, TLS, no
    /// such database, connect timeout. Nothing was written.
    case unavailable(location: String, detail: String)
    /// The connection broke during a call (server restart or crash, network). What was in
    /// flight was not committed; the next call connects again.
    case connectionLost(location: String, detail: String)
    /// COMMIT was sent and its answer never came: the change may or may not have been made. A
    /// reservation in this state counts (if it committed) until reconcile resolves it, and
    /// nothing is signed for it.
    case commitUnknown(location: String, detail: String)
    /// The server cancelled a statement (`statement_timeout`, `lock_timeout`); nothing was
    /// committed.
    case timeout(location: String, detail: String)
    /// Any other PostgreSQL failure (location, SQLSTATE, the server's message).
    case server(location: String, sqlState: String?, detail: String)
    /// `purse ledger copy` found a row in the target that differs from the source's row of the
    /// same id: the target holds another history, and nothing more was copied.
    case copyConflict(location: String, detail: String)

    public var code: String {
        switch self {
        case .openFailed: "ledger.open_failed"
        case .corrupt: "ledger.corrupt"
        case .notADatabase: "ledger.not_a_database"
        case .newerSchema: "ledger.newer_schema"
        case .busy: "ledger.busy"
        case .readOnly: "ledger.read_only"
        case .diskFull: "ledger.disk_full"
        case .badTransition: "ledger.bad_transition"
        case .paymentNotFound: "ledger.payment_not_found"
        case .unknownSession: "ledger.unknown_session"
        case .badAmount: "ledger.bad_amount"
        case .invalidArgument: "ledger.invalid_argument"
        case .database: "ledger.database_error"
        case .unavailable: "ledger.unavailable"
        case .connectionLost: "ledger.connection_lost"
        case .commitUnknown: "ledger.commit_unknown"
        case .timeout: "ledger.timeout"
        case .server: "ledger.database_error"
        case .copyConflict: "ledger.copy_conflict"
        }
    }

    public var message: String {
        switch self {
        case let .openFailed(path, reason):
            "cannot open the ledger at \(path): \(reason)"
        case let .corrupt(path, detail):
            "the ledger at \(path) is damaged (\(detail)); it was left untouched — move it aside to start a new one"
        case let .notADatabase(path, detail):
            "\(path) is not a Purse ledger (\(detail)); it was left untouched — set PURSE_DB to another path or move the file"
        case let .newerSchema(path, unknown):
            "the ledger at \(path) was written by a newer Purse (unknown migrations: \(unknown.joined(separator: ", "))); upgrade Purse"
        case let .busy(path, timeout):
            "the ledger at \(path) stayed locked by another Purse process for more than \(timeout) s"
        case let .readOnly(path, detail):
            "the ledger at \(path) is read-only (\(detail)); Purse must write it to reserve payments"
        case let .diskFull(path):
            "the disk holding the ledger at \(path) is full"
        case let .badTransition(id, from, to):
            "payment \(id) cannot go from \(from.rawValue) to \(to.rawValue)"
        case let .paymentNotFound(id):
            "no payment with id \(id)"
        case let .unknownSession(id):
            "no session with id \(id)"
        case let .badAmount(detail):
            "bad amount: \(detail)"
        case let .invalidArgument(detail):
            "invalid argument: \(detail)"
        case let .database(path, rc, detail):
            "SQLite error \(rc) on the ledger at \(path): \(detail)"
        case let .unavailable(location, detail):
            "the ledger at \(location) is unavailable: \(detail)"
        case let .connectionLost(location, detail):
            "the connection to the ledger at \(location) was lost; nothing in flight was committed: \(detail)"
        case let .commitUnknown(location, detail):
            "the ledger at \(location) did not confirm a commit (the connection was lost); the change may or may not be stored, and reconcile resolves it: \(detail)"
        case let .timeout(location, detail):
            "the ledger at \(location) cancelled a statement that ran too long; nothing was committed: \(detail)"
        case let .server(location, state, detail):
            "PostgreSQL error\(state.map { " \($0)" } ?? "") on the ledger at \(location): \(detail)"
        case let .copyConflict(location, detail):
            "the ledger at \(location) already holds a different history: \(detail)"
        }
    }

    /// Maps any error thrown by GRDB to a ledger error for the file at `path`.
    package static func from(_ error: any Error, path: String, busyTimeout: Double) -> LedgerError {
        if let e = error as? LedgerError { return e }
        guard let db = error as? DatabaseError else {
            return .database(path: path, resultCode: -1, detail: String(describing: error))
        }
        let detail = db.message ?? "SQLite result code \(db.extendedResultCode.rawValue)"
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path, timeoutSeconds: busyTimeout)
        case .SQLITE_READONLY, .SQLITE_PERM: return .readOnly(path: path, detail: detail)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
        case .SQLITE_NOTADB: return .notADatabase(path: path, detail: detail)
        case .SQLITE_CANTOPEN: return .openFailed(path: path, reason: detail)
        default: return .database(path: path, resultCode: db.extendedResultCode.rawValue, detail: detail)
        }
    }
}
