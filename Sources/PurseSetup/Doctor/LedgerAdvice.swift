import Ledger
import PostgresClient
import PurseCore

/// What `purse doctor` suggests for a ledger that fails, by backend: a SQLite file wants a
/// writable path; a PostgreSQL URL wants a reachable server, the right credentials (the
/// password through the variable `dbPasswordEnv` names) and TLS settings (`sslmode`,
/// `sslrootcert`). Built only from the URL's printable parts and the variable's *name*: a
/// password never appears in advice.
enum LedgerAdvice {
    /// The fix when the ledger could not be opened.
    static func openFix(location: String, error: LedgerError, passwordEnv: String?, environment: [String: String]) -> String {
        guard LedgerStore.isPostgres(location) else { return "set --db, PURSE_DB or the config's db to a writable path" }
        guard let url = try? PostgresConfig(url: location) else {
            return "fix the ledger URL (--db, PURSE_DB or the config's db): postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA.pem, "
                + "with no password in it (name the variable that holds it in the config's dbPasswordEnv)"
        }
        let server = serverText(url)
        let user = url.user.map { "user \($0)" } ?? "the connecting user"
        let database = url.database.map { "database \($0)" } ?? "the database"
        // `LedgerError.unavailable` carries the connection's stable code (`pg.…`) first.
        let detail = error.message
        if detail.contains(PostgresError.Kind.authFailed.rawValue) {
            return credentialsFix(user: user, passwordEnv: passwordEnv, environment: environment) + " (and that pg_hba.conf lets \(user) in from this machine)"
        }
        if detail.contains(PostgresError.Kind.unknownDatabase.rawValue) {
            return "create \(database) \(server) (createdb), or fix the database name in the URL"
        }
        if detail.contains(PostgresError.Kind.tlsFailed.rawValue) {
            return tlsFix(url, server: server)
        }
        switch error {
        case .newerSchema:
            return "\(database) was migrated by a newer Purse: upgrade this one"
        case .unavailable, .timeout, .connectionLost:
            return "check that PostgreSQL \(server) is running and reachable from this machine (pg_isready\(isReadyArgs(url))), "
                + "then \(credentialsFix(user: user, passwordEnv: passwordEnv, environment: environment)), and the TLS settings (sslmode, sslrootcert)"
        default:
            return "check that PostgreSQL \(server) is reachable, that \(credentialsFix(user: user, passwordEnv: passwordEnv, environment: environment)), "
                + "and the TLS settings (sslmode, sslrootcert)"
        }
    }

    /// The fix when the ledger opened but is not healthy.
    static func healthFix(location: String, health: LedgerHealth) -> String {
        let shown = LedgerStore.display(location)
        guard LedgerStore.isPostgres(location) else {
            return health.integrityOK ? "make \(shown) and its directory writable" : "move \(shown) aside (Purse starts a new one) and run `purse reconcile`"
        }
        let url = try? PostgresConfig(url: location)
        let user = url?.user.map { "user \($0)" } ?? "the connecting user"
        if !health.integrityOK {
            // Other machines may share this database: moving it aside would split the budget.
            return "the shared ledger fails its consistency checks: stop the purses that use it, restore \(shown) from a backup or repair the rows named above, then run `purse reconcile`"
        }
        if !health.writable {
            return "let \(user) write the ledger tables (GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public), and check that \(shown) is not a read-only standby"
        }
        return "run any `purse` command with --db \(shown) once to bring its schema up to date"
    }

    /// A warning for a PostgreSQL ledger reached over the network without a verified server:
    /// whoever sits between this machine and the server could read the spend log and forge the
    /// budget sums every machine trusts. Nil for SQLite, unix sockets, this machine (`HostName.isLoopback`) and
    /// `verify-ca` / `verify-full`.
    static func weakTLSWarning(location: String) -> String? {
        guard LedgerStore.isPostgres(location), let url = try? PostgresConfig(url: location), !url.isUnixSocket else { return nil }
        if HostName(url.host ?? "localhost").isLoopback { return nil }
        switch url.sslMode {
        case .verifyCA?, .verifyFull?: return nil
        case .disable?, .allow?, .prefer?, .require?, nil:
            let mode = url.sslMode?.rawValue ?? "prefer (the default)"
            let what = url.sslMode == .require ? "encrypted, but the server is not verified" : "may not even be encrypted"
            return "the connection to \(serverText(url)) \(what) (sslmode \(mode)): anyone in between could read the spend log or change the budget sums every machine relies on; use sslmode=verify-full with sslrootcert=CA.pem"
        }
    }

    /// "at HOST:PORT" or "on the socket DIR", for messages.
    static func serverText(_ url: PostgresConfig) -> String {
        if url.isUnixSocket { return "on the socket in \(url.host ?? "")" + (url.port.map { " (port \($0))" } ?? "") }
        return "at \(url.host ?? "localhost"):\(url.port ?? 5432)"
    }

    private static func isReadyArgs(_ url: PostgresConfig) -> String {
        var args = ""
        if let host = url.host { args += " -h \(host)" }
        if let port = url.port { args += " -p \(port)" }
        return args
    }

    /// Where the password should come from, by the variable's name only.
    private static func credentialsFix(user: String, passwordEnv: String?, environment: [String: String]) -> String {
        guard let name = passwordEnv else {
            return "check the credentials of \(user): if the server wants a password, put it in an environment variable and name that variable in the config's dbPasswordEnv (never in the URL)"
        }
        if environment[name]?.isEmpty ?? true {
            return "export \(name) (the config's dbPasswordEnv) with the password of \(user) in this shell; hosts pass it in their server entry's env"
        }
        return "check the password of \(user) held in \(name) (the config's dbPasswordEnv)"
    }

    private static func tlsFix(_ url: PostgresConfig, server: String) -> String {
        let mode = url.sslMode?.rawValue ?? "prefer (the default)"
        var fix = "the TLS handshake with \(server) failed (sslmode \(mode)): "
        if let ca = url.sslRootCert {
            fix += "check that \(ca) is readable and is the CA that signed the server's certificate"
        } else {
            fix += "give the server's CA with sslrootcert=PATH"
        }
        if url.sslMode == .verifyFull { fix += ", and that the certificate names \(url.host ?? "the host")" }
        return fix
    }
}
