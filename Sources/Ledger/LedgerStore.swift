import Foundation

/// Which backend a ledger location means, decided in one place: a `postgresql://` or
/// `postgres://` URL is PostgreSQL, anything else a SQLite file path.
///
/// Opening a SQLite ledger never touches libpq: nothing of PostgreSQL is initialised unless a
/// URL is given (libpq is linked, and loaded by the dynamic linker at start like libcurl's
/// TLS libraries; its start-up cost is measured in the README).
public enum LedgerStore {
    /// True for a PostgreSQL URL.
    public static func isPostgres(_ location: String) -> Bool { PostgresLedger.isURL(location) }

    /// The location as it may be printed: a URL's text without anything secret (a URL that
    /// does not parse is not echoed, since it could hold a password), a path as it is.
    public static func display(_ location: String) -> String {
        guard isPostgres(location) else { return location }
        return (try? PostgresConfigText.redacted(location)) ?? "postgresql://(an invalid URL)"
    }

    /// Opens the ledger at `location`; `password` is used only for PostgreSQL.
    public static func open(_ location: String, password: String?) throws(LedgerError) -> any PaymentLedger {
        if isPostgres(location) { return try PostgresLedger(url: location, password: password) }
        return try SQLiteLedger(path: location)
    }
}
