import Testing
@testable import PostgresClient
import PurseCore

/// URL parsing and error plumbing: no server needed, always run.
@Suite struct PostgresConfigTests {
    @Test func parsesEveryPart() throws {
        let c = try PostgresConfig(url: "postgresql://alice@db.example.com:6543/ledger?sslmode=verify-full"
            + "&sslrootcert=%2Fetc%2Fpurse%2Fca.pem&connect_timeout=5&options=-c%20statement_timeout%3D5000&application_name=purse-a")
        #expect(c.user == "alice")
        #expect(c.host == "db.example.com")
        #expect(c.port == 6543)
        #expect(c.database == "ledger")
        #expect(c.sslMode == .verifyFull)
        #expect(c.sslRootCert == "/etc/purse/ca.pem")
        #expect(c.connectTimeoutSeconds == 5)
        #expect(c.options == "-c statement_timeout=5000")
        #expect(c.applicationName == "purse-a")
        #expect(!c.isUnixSocket)
        // The description is a URL that parses back to the same configuration.
        #expect(try PostgresConfig(url: c.description) == c)
    }

    @Test func acceptsBothSchemesAndDefaults() throws {
        let c = try PostgresConfig(url: "postgres://db")
        #expect(c.host == "db")
        #expect(c.user == nil && c.port == nil && c.database == nil && c.sslMode == nil)
        #expect(c.connectTimeoutSeconds == 10)
        let empty = try PostgresConfig(url: "postgresql://")
        #expect(empty.host == nil)
        #expect(try PostgresConfig(url: "POSTGRESQL://h/d").database == "d")
    }

    @Test func unixSocketForms() throws {
        let encoded = try PostgresConfig(url: "postgresql://postgres@%2Ftmp%2Fpurse-pg.abc:5433/purse_test")
        #expect(encoded.host == "/tmp/purse-pg.abc")
        #expect(encoded.isUnixSocket)
        #expect(encoded.port == 5433)
        let param = try PostgresConfig(url: "postgresql://postgres@/purse_test?host=/run/postgresql&port=5433")
        #expect(param.host == "/run/postgresql")
        #expect(param.isUnixSocket)
        #expect(param.port == 5433)
        #expect(try PostgresConfig(url: param.description) == param)
    }

    @Test func ipv6Host() throws {
        let c = try PostgresConfig(url: "postgresql://u@[::1]:5444/d")
        #expect(c.host == "::1")
        #expect(c.port == 5444)
        #expect(try PostgresConfig(url: c.description) == c)
    }

    @Test(arguments: [
        ("mysql://h/d", "must start with"),
        ("postgresql://h:0/d", "port"),
        ("postgresql://h:99999/d", "port"),
        ("postgresql://h:abc/d", "port"),
        ("postgresql://h/d?sslmode=maybe", "sslmode"),
        ("postgresql://h/d?connect_timeout=0", "connect_timeout"),
        ("postgresql://h/d?nosuch=1", "unknown URL parameter"),
        ("postgresql://h/d?sslmode", "has no value"),
        ("postgresql://h/d%zz", "percent-escape"),
        ("postgresql://h/d%00", "NUL"),
        ("postgresql://h1,h2/d", "several hosts"),
        ("postgresql://[::1/d", "unterminated"),
    ])
    func refusesBadURLs(url: String, fragment: String) {
        do {
            _ = try PostgresConfig(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == "pg.bad_url")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func refusesPasswordsInTheURLWithoutRepeatingThem() {
        for url in ["postgresql://alice:Hunter2-secret@h/d", "postgresql://h/d?password=Hunter2-secret",
                    "postgresql://h/d?passfile=/home/Hunter2-secret"] {
            do {
                _ = try PostgresConfig(url: url)
                Issue.record("accepted a password in \(url)")
            } catch {
                #expect(error.code == "pg.bad_url")
                #expect(!error.description.contains("Hunter2"), "\(error.description)")
            }
        }
    }

    @Test func passwordOnlyInLibpqParameters() throws {
        let c = try PostgresConfig(url: "postgresql://u@h/d")
        #expect(!c.libpqParameters(password: nil).contains { $0.0 == "password" })
        #expect(c.libpqParameters(password: "pw").contains { $0 == ("password", "pw") })
        #expect(!c.description.contains("pw"))
    }

    @Test func sqlStateKinds() {
        #expect(PostgresError.kind(forQuerySQLState: "40001") == .serializationFailure)
        #expect(PostgresError.kind(forQuerySQLState: "40P01") == .deadlock)
        #expect(PostgresError.kind(forQuerySQLState: "57014") == .timeout)
        #expect(PostgresError.kind(forQuerySQLState: "55P03") == .timeout)
        #expect(PostgresError.kind(forQuerySQLState: "23505") == .uniqueViolation)
        #expect(PostgresError.kind(forQuerySQLState: "57P01") == .connectionLost)
        #expect(PostgresError.kind(forQuerySQLState: "08006") == .connectionLost)
        #expect(PostgresError.kind(forQuerySQLState: "42P01") == .queryFailed)
        #expect(PostgresError.kind(forQuerySQLState: nil) == .queryFailed)
        #expect(PostgresError(.serializationFailure, "x").isRetryable)
        #expect(PostgresError(.deadlock, "x").isRetryable)
        #expect(!PostgresError(.timeout, "x").isRetryable)
        let codes = PostgresError.Kind.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.hasPrefix("pg.") })
    }

    @Test func verboseMessagesGiveTheirSQLState() {
        let raw = "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  28P01: password authentication failed for user \"x\"\nLOCATION:  auth_failed, auth.c:323\n"
        #expect(PostgresConnection.lastSQLState(in: raw) == "28P01")
        #expect(PostgresConnection.lastSQLState(in: "could not connect: Connection refused") == nil)
        let clean = PostgresConnection.clean(raw + "DETAIL: tried pw=abc%21 and abc!\n", secrets: ["abc!", "abc%21"])
        #expect(!clean.contains("LOCATION"))
        #expect(!clean.contains("\n"))
        #expect(!clean.contains("abc"))
        #expect(clean.contains("pw=*** and ***"))
    }
}
