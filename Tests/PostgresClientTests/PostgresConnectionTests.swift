import Foundation
import Testing
@testable import PostgresClient
import PurseCore

/// Against the private cluster from scripts/pg-cluster; skipped, with the reason shown, without one.
@Suite(.enabled(if: PG.available, PG.skipReason), .timeLimit(.minutes(2)))
struct PostgresConnectionTests {
    // MARK: Connecting

    @Test func connectsOverTCP() throws {
        let conn = try PG.connect()
        let r = try conn.query("SELECT current_database(), host(inet_server_addr()), current_user")
        #expect(r.columns == ["current_database", "host", "current_user"])
        #expect(r.rows == [["purse_test", "127.0.0.1", "postgres"]])
        #expect(!conn.isGone)
        #expect(conn.backendPID != nil)
        #expect((conn.serverVersion ?? 0) >= 100_000)
        conn.close()
        #expect(conn.isGone)
        expectPG(.invalidState) { try conn.query("SELECT 1") }
        conn.close() // Idempotent.
    }

    @Test func connectsOverTheUnixSocket() throws {
        // The percent-encoded socket directory as host, as scripts/pg-cluster prints it.
        let viaHost = try PG.connect(try #require(PG.socketURL))
        #expect(viaHost.config.isUnixSocket)
        // inet_server_addr() is NULL on a unix socket.
        #expect(try viaHost.query("SELECT inet_server_addr()::text, current_database()").rows == [[nil, "purse_test"]])
        // The same through the host= parameter.
        let dir = try #require(PG.socketDir), port = try #require(PG.port)
        let viaParam = try PG.connect("postgresql://postgres@/purse_test?host=\(dir)&port=\(port)")
        #expect(try viaParam.query("SELECT inet_server_addr() IS NULL").scalar == "t")
        #expect(!viaParam.usesTLS) // libpq never uses TLS on a unix socket.
    }

    @Test func unknownDatabase() {
        let url = PG.url!.replacingOccurrences(of: "/purse_test", with: "/no_such_db_here")
        let e = expectPG(.unknownDatabase) { _ = try PG.connect(url) }
        #expect(e?.sqlState == "3D000")
        #expect(e?.message.contains("no_such_db_here") == true)
    }

    @Test func nothingListening() {
        // Port 1 on loopback: refused at once.
        let e = expectPG(.connectFailed) {
            _ = try PostgresConnection.open(url: "postgresql://postgres@127.0.0.1:1/purse_test?connect_timeout=3", password: "Pw-Nobody-Listens")
        }
        #expect(e?.description.contains("Pw-Nobody-Listens") == false)
    }

    @Test func wrongAndMissingPassword() throws {
        let admin = try PG.connect()
        let role = PG.uniqueName("purse_pw")
        let right = "Right-P4ss-\(role)"
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(right)' IN ROLE \(PG.passwordGroup)")
        defer { _ = try? admin.execute("DROP ROLE IF EXISTS \(role)") }
        let url = PG.url!.replacingOccurrences(of: "postgres@", with: "\(role)@")

        let wrong = "Wr0ng-p@ss:%word/\(role)"
        let e = expectPG(.authFailed) { _ = try PostgresConnection.open(url: url, password: wrong) }
        #expect(e?.sqlState == "28P01")
        for text in [e?.message ?? "", e?.description ?? ""] {
            #expect(!text.contains(wrong) && !text.contains(right) && !text.contains(PostgresConfig.encode(wrong)))
        }
        let missing = expectPG(.authFailed) { _ = try PostgresConnection.open(url: url, password: nil) }
        #expect(missing?.message.contains("none was given") == true)

        let ok = try PostgresConnection.open(url: url, password: right)
        #expect(try ok.query("SELECT current_user").scalar == role)
        // Same through the unix socket.
        let sockURL = PG.socketURL!.replacingOccurrences(of: "postgres@", with: "\(role)@")
        expectPG(.authFailed) { _ = try PostgresConnection.open(url: sockURL, password: wrong) }
        #expect(try PostgresConnection.open(url: sockURL, password: right).query("SELECT 1").scalar == "1")
        ok.close()
    }

    @Test(.enabled(if: PG.sslRootCert != nil, "the cluster has no TLS: openssl was missing when scripts/pg-cluster made it"))
    func tlsVerifyFull() throws {
        let ca = try #require(PG.sslRootCert)
        let conn = try PG.connect(PG.url(adding: "sslmode=verify-full&sslrootcert=\(ca)"))
        #expect(conn.usesTLS)
        #expect(try conn.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar == "t")
        // localhost is in the certificate too.
        let byName = PG.url!.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        #expect(try PG.connect(PG.url(byName, adding: "sslmode=verify-full&sslrootcert=\(ca)")).usesTLS)
        // A CA that did not sign the server's certificate: refused.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent(PG.uniqueName("other-ca") + ".crt").path
        try makeOtherCA(at: other)
        defer { try? FileManager.default.removeItem(atPath: other) }
        expectPG(.tlsFailed) { _ = try PG.connect(PG.url(adding: "sslmode=verify-full&sslrootcert=\(other)")) }
        // A missing root certificate file: refused too, not silently unverified.
        expectPG(.tlsFailed) { _ = try PG.connect(PG.url(adding: "sslmode=verify-full&sslrootcert=/nonexistent/ca.crt")) }
    }

    // MARK: Statements

    @Test func parametersAndNulls() throws {
        let conn = try PG.connect()
        let tricky = "it's; DROP TABLE x; -- ünïcode \"quoted\" \\ backslash"
        let r = try conn.query("SELECT $1::text AS a, $2::int + 1 AS b, $3::text IS NULL AS c, NULL::text AS d, $4::text AS e",
                               [tricky, "41", nil, "two\nlines"])
        #expect(r.columns == ["a", "b", "c", "d", "e"])
        #expect(r.rows == [[tricky, "42", "t", nil, "two\nlines"]])
        #expect(r.value(0, "b") == "42")
        #expect(r.value(0, "nope") == nil)

        try conn.execute("CREATE TEMP TABLE p (id bigserial PRIMARY KEY, note text UNIQUE, amount bigint)")
        let ins = try conn.query("INSERT INTO p (note, amount) VALUES ($1, $2), ($3, NULL) RETURNING id", ["a", "5", "b"])
        #expect(ins.count == 2)
        #expect(ins.affectedRows == 2)
        #expect(ins.commandTag == "INSERT 0 2")
        #expect(try conn.query("SELECT count(*) FROM p WHERE amount IS NULL").scalar == "1")
        #expect(try conn.query("SELECT note FROM p WHERE note = $1", ["zzz"]).isEmpty)

        let dup = expectPG(.uniqueViolation) { try conn.query("INSERT INTO p (note) VALUES ($1)", ["a"]) }
        #expect(dup?.sqlState == "23505")
        #expect(dup?.constraint == "p_note_key")
        // One statement per query: a second one is refused by the server, not run.
        let multi = expectPG(.queryFailed) { try conn.query("SELECT 1; DELETE FROM p") }
        #expect(multi?.sqlState == "42601")
        #expect(try conn.query("SELECT count(*) FROM p").scalar == "2")
        expectPG(.queryFailed) { try conn.query("SELECT $1::text", ["nul\u{0}byte"]) }
        let syntax = expectPG(.queryFailed) { try conn.query("SELEC 1") }
        #expect(syntax?.sqlState == "42601")
        // The connection is still fine after errors.
        #expect(try conn.query("SELECT 'ok'").scalar == "ok")
    }

    @Test func statementTimeoutIsATimeout() throws {
        let conn = try PG.connect(PG.url(adding: "options=-c%20statement_timeout%3D200"))
        #expect(try conn.query("SHOW statement_timeout").scalar == "200ms")
        let start = Date()
        let e = expectPG(.timeout) { try conn.query("SELECT pg_sleep(5)") }
        #expect(e?.sqlState == "57014")
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(e?.mayHaveCommitted == false)
        #expect(!conn.isGone)
        #expect(try conn.query("SELECT 1").scalar == "1")
    }

    // MARK: Losing the connection

    /// A server restart under an idle connection: the next statement reports the loss.
    @Test func serverRestartMidConnection() throws {
        // A cluster of this test's own, so that restarting it disturbs no other test.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(PG.uniqueName("purse-pg-restart")).path
        let env = try PG.cluster("start", dir)
        defer { _ = try? PG.cluster("stop", dir) }
        let url = try #require(env["PURSE_TEST_PG_URL"])

        let conn = try PG.connect(url)
        #expect(try conn.query("SELECT 1").scalar == "1")
        try conn.execute("CREATE TABLE t (id int)")
        try PG.cluster("restart", dir)
        let e = expectPG(.connectionLost) { try conn.query("INSERT INTO t VALUES (1)") }
        // Autocommit: an unanswered write may have committed (here it cannot have, but the client
        // cannot know that).
        #expect(e?.mayHaveCommitted == true)
        #expect(conn.isGone)
        let again = expectPG(.connectionLost) { try conn.query("SELECT 1") }
        #expect(again?.message.contains("lost earlier") == true)

        // Inside a transaction, before COMMIT: certainly not committed.
        let conn2 = try PG.connect(url)
        var caught: PostgresError?
        do {
            try conn2.transaction { tx in
                try tx.query("INSERT INTO t VALUES (2)")
                try PG.cluster("restart", dir)
                try tx.query("INSERT INTO t VALUES (3)")
            }
        } catch let error as PostgresError { caught = error }
        #expect(caught?.kind == .connectionLost)
        #expect(caught?.mayHaveCommitted == false)

        let fresh = try PG.connect(url)
        #expect(try fresh.query("SELECT count(*) FROM t").scalar == "0")
    }

    /// COMMIT sent, answer lost: the outcome is unknown and said so.
    @Test func commitWithoutAnswerIsUnknown() throws {
        let admin = try PG.connect()
        let table = PG.uniqueName("commit_unknown")
        try admin.execute("CREATE TABLE \(table) (id int)")
        defer { _ = try? admin.execute("DROP TABLE \(table)") }
        let conn = try PG.connect()
        let pid = try #require(conn.backendPID)
        var caught: PostgresError?
        do {
            try conn.transaction { tx in
                try tx.query("INSERT INTO \(table) VALUES (1)")
                // The backend is terminated (and gone: the timeout form waits) before COMMIT goes out.
                #expect(try admin.query("SELECT pg_terminate_backend($1, 5000)", [String(pid)]).scalar == "t")
            }
        } catch let error as PostgresError { caught = error }
        #expect(caught?.kind == .commitUnknown)
        #expect(caught?.mayHaveCommitted == true)
        #expect(conn.isGone)
        #expect(try admin.query("SELECT count(*) FROM \(table)").scalar == "0")
    }

    // MARK: Transactions

    @Test func serializationFailureIsRetried() throws {
        let admin = try PG.connect()
        let table = PG.uniqueName("ser")
        try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY, v int NOT NULL); INSERT INTO \(table) VALUES (1, 0)")
        defer { _ = try? admin.execute("DROP TABLE \(table)") }
        let conn = try PG.connect()
        var attempts: [Int] = []
        let final = try conn.transaction(.init(isolation: .serializable)) { tx -> Int in
            attempts.append(tx.attempt)
            let v = Int(try tx.query("SELECT v FROM \(table) WHERE id = 1").scalar!)!
            if tx.attempt == 1 {
                // A concurrent committed update of the row this transaction has read.
                try admin.query("UPDATE \(table) SET v = v + 100 WHERE id = 1")
            }
            try tx.query("UPDATE \(table) SET v = $1 WHERE id = 1", [String(v + 1)])
            return v + 1
        }
        #expect(attempts == [1, 2])
        #expect(final == 101)
        #expect(try admin.query("SELECT v FROM \(table) WHERE id = 1").scalar == "101")

        // With a single attempt allowed, the failure comes out, typed and retryable.
        var caught: PostgresError?
        do {
            try conn.transaction(.init(isolation: .repeatableRead, maxAttempts: 1)) { tx in
                _ = try tx.query("SELECT v FROM \(table) WHERE id = 1")
                try admin.query("UPDATE \(table) SET v = v + 1 WHERE id = 1")
                try tx.query("UPDATE \(table) SET v = 0 WHERE id = 1")
            }
        } catch let error as PostgresError { caught = error }
        #expect(caught?.kind == .serializationFailure)
        #expect(caught?.sqlState == "40001")
        #expect(caught?.isRetryable == true)
        #expect(!conn.inTransaction)
        #expect(try admin.query("SELECT v FROM \(table) WHERE id = 1").scalar == "102")
    }

    @Test func bodyErrorsRollBack() throws {
        struct Refused: Error {}
        let conn = try PG.connect()
        try conn.execute("CREATE TEMP TABLE r (id int)")
        #expect(throws: Refused.self) {
            try conn.transaction { tx in
                try tx.query("INSERT INTO r VALUES (1)")
                throw Refused()
            }
        }
        #expect(try conn.query("SELECT count(*) FROM r").scalar == "0")
        #expect(!conn.inTransaction)

        // An error swallowed inside the body: COMMIT rolls back, and says so.
        let e = expectPG(.queryFailed) {
            try conn.transaction { tx in
                try tx.query("INSERT INTO r VALUES (2)")
                _ = try? tx.query("SELECT 1/0")
            }
        }
        #expect(e?.message.contains("rolled it back") == true)
        #expect(try conn.query("SELECT count(*) FROM r").scalar == "0")

        // Nested transactions are refused; the outer one still commits.
        try conn.transaction { tx in
            try tx.query("INSERT INTO r VALUES (3)")
            expectPG(.invalidState) { try conn.transaction { _ in } }
        }
        #expect(try conn.query("SELECT count(*) FROM r").scalar == "1")
    }

    /// The budget reservation shape (lock the budget row, sum the window, insert) from several
    /// threads, each with its own connection: never more reserved than the limit.
    @Test func concurrentReservationsNeverOverspend() throws {
        let admin = try PG.connect()
        let budget = PG.uniqueName("budget"), payment = PG.uniqueName("payment")
        try admin.execute("""
            CREATE TABLE \(budget) (wallet text PRIMARY KEY, daily_limit bigint NOT NULL);
            CREATE TABLE \(payment) (id bigserial PRIMARY KEY, wallet text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(), micros bigint NOT NULL);
            CREATE INDEX ON \(payment) (wallet, created_at);
            INSERT INTO \(budget) VALUES ('w', 50);
            """)
        defer { _ = try? admin.execute("DROP TABLE \(budget); DROP TABLE \(payment)") }
        let threads = 4, each = 20
        let accepted = Counter()
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            do {
                let conn = try PG.connect()
                for _ in 0..<each {
                    let ok = try conn.transaction { tx -> Bool in
                        let limit = Int(try tx.query("SELECT daily_limit FROM \(budget) WHERE wallet = $1 FOR UPDATE", ["w"]).scalar!)!
                        let spent = Int(try tx.query("""
                            SELECT coalesce(sum(micros), 0) FROM \(payment)
                            WHERE wallet = $1 AND created_at > now() - interval '24 hours'
                            """, ["w"]).scalar!)!
                        guard spent + 1 <= limit else { return false }
                        try tx.query("INSERT INTO \(payment) (wallet, micros) VALUES ($1, 1)", ["w"])
                        return true
                    }
                    if ok { accepted.add() }
                }
            } catch {
                failures.add()
            }
        }
        #expect(failures.value == 0)
        #expect(accepted.value == 50)
        #expect(try admin.query("SELECT sum(micros) FROM \(payment)").scalar == "50")
    }

    // MARK: Secrets

    /// Whatever goes wrong, no error text carries the password.
    @Test func noErrorTextContainsThePassword() throws {
        let password = "Pw-\(PG.uniqueName("secret"))-%&=/ü"
        var errors: [PostgresError] = []
        func collect(_ body: () throws -> Void) {
            do { try body() } catch let error as PostgresError { errors.append(error) } catch {
                Issue.record("not a PostgresError: \(error)")
            }
        }
        // The server accepts any password under trust; a query that echoes it back in an error.
        let conn = try PostgresConnection.open(url: PG.url!, password: password)
        collect { try conn.query("SELECT $1::int", [password]) }
        collect { try conn.execute("SELECT '\(password)'::int") }
        collect { try conn.query("SELECT * FROM \"\(password)\"") }
        // Connection failures of every kind, with the password given.
        collect { _ = try PostgresConnection.open(url: PG.url!.replacingOccurrences(of: "/purse_test", with: "/nodb"), password: password) }
        collect { _ = try PostgresConnection.open(url: "postgresql://postgres@127.0.0.1:1/x", password: password) }
        collect { _ = try PostgresConnection.open(url: PG.url(adding: "sslmode=verify-full&sslrootcert=/nonexistent"), password: password) }
        let pwURL = PG.url!.replacingOccurrences(of: "postgres@", with: "nosuchrole@")
        collect { _ = try PostgresConnection.open(url: pwURL, password: password) }
        // And a password typed into the URL by mistake.
        collect { _ = try PostgresConnection.open(url: "postgresql://u:\(PostgresConfig.encode(password))@h/d", password: nil) }
        #expect(errors.count == 8)
        for e in errors {
            for text in [e.message, e.description, "\(e)", String(reflecting: e)] {
                #expect(!text.contains(password), "\(e.code): \(text)")
                #expect(!text.contains(PostgresConfig.encode(password)), "\(e.code): \(text)")
                #expect(!text.contains("secret"), "\(e.code): \(text)")
            }
        }
        // The echoed one was really echoed, and scrubbed.
        #expect(errors[0].message.contains("***"))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.withLock { n += 1 } }
    var value: Int { lock.withLock { n } }
}

/// Writes a fresh self-signed CA certificate (which signed nothing the test server uses) to `path`.
private func makeOtherCA(at path: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-days", "1", "-subj", "/CN=other test CA", "-keyout", "/dev/null", "-out", path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw PurseTestError("openssl could not make a CA certificate") }
}
