import PurseCore

/// Why a PostgreSQL operation failed, with a stable code.
///
/// Messages come from libpq and the server, cleaned up to one line, and never contain the
/// password: every message made by a connection has the password (and its percent-encoded form)
/// replaced by `***`, whatever echoed it. The SQL text and its parameters are never included.
public struct PostgresError: CodedError, Equatable {
    /// The kind of failure; its raw value is the stable code.
    public enum Kind: String, Sendable, CaseIterable {
        /// The URL or a parameter in it is invalid (nothing was sent anywhere).
        case badURL = "pg.bad_url"
        /// The server could not be reached or refused the connection for a reason not below
        /// (including the connect timeout).
        case connectFailed = "pg.connect_failed"
        /// Authentication failed: wrong or missing password, unknown role, no pg_hba.conf entry.
        case authFailed = "pg.auth_failed"
        /// The database named in the URL does not exist.
        case unknownDatabase = "pg.unknown_database"
        /// TLS was required (sslmode require, verify-ca, verify-full) and could not be set up or
        /// the server's certificate was not accepted.
        case tlsFailed = "pg.tls_failed"
        /// The server cancelled the statement: `statement_timeout`, `lock_timeout` or `NOWAIT`.
        /// The connection is still usable; a surrounding transaction is aborted (roll it back).
        case timeout = "pg.timeout"
        /// The connection broke (server restart or crash, network failure, backend terminated).
        /// Open a new connection. See `mayHaveCommitted`.
        case connectionLost = "pg.connection_lost"
        /// COMMIT was sent but its answer never came: the transaction may or may not have
        /// committed. The caller must find out (for example by looking for the row it wrote).
        case commitUnknown = "pg.commit_unknown"
        /// SQLSTATE 40001: the transaction conflicted with a concurrent one and was rolled back.
        /// Retrying the whole transaction is safe (`PostgresConnection.transaction` does).
        case serializationFailure = "pg.serialization_failure"
        /// SQLSTATE 40P01: the transaction was chosen as a deadlock victim and rolled back.
        /// Retrying the whole transaction is safe (`PostgresConnection.transaction` does).
        case deadlock = "pg.deadlock"
        /// SQLSTATE 23505: a unique constraint (`constraint` names it) would be broken.
        case uniqueViolation = "pg.unique_violation"
        /// The server rejected the statement for any other reason (`sqlState` says which).
        case queryFailed = "pg.query_failed"
        /// The call does not fit the connection's state: it is closed, or a transaction is
        /// already open on it.
        case invalidState = "pg.invalid_state"
    }

    /// The kind of failure.
    public let kind: Kind
    /// A one-line explanation, free of the password.
    public let message: String
    /// The server's SQLSTATE, when the server reported the error.
    public let sqlState: String?
    /// The constraint that was violated, when the server named one.
    public let constraint: String?
    /// True when a write may have been committed although no answer came back: always for
    /// `.commitUnknown`, and for `.connectionLost` on a statement sent in autocommit mode
    /// (outside a transaction block). False means it certainly did not commit.
    public let mayHaveCommitted: Bool

    /// The stable code, such as `pg.auth_failed`.
    public var code: String { kind.rawValue }

    /// True when running the whole transaction again is safe and may succeed.
    public var isRetryable: Bool { kind == .serializationFailure || kind == .deadlock }

    /// Creates an error; `message` must already be free of secrets.
    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, constraint: String? = nil,
                mayHaveCommitted: Bool = false) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
        self.mayHaveCommitted = mayHaveCommitted
    }

    /// The kind for a server error's SQLSTATE, for statements (not for connecting).
    static func kind(forQuerySQLState state: String?) -> Kind {
        guard let state else { return .queryFailed }
        switch state {
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57014", "55P03": return .timeout // query_canceled (statement_timeout), lock_not_available
        case "23505": return .uniqueViolation
        case "57P01", "57P02", "57P03", "25P03": return .connectionLost // shutdown, crash, idle timeout
        default:
            return state.hasPrefix("08") ? .connectionLost : .queryFailed // class 08: connection exception
        }
    }
}
