import Foundation
import PostgresClient
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// The URL forms a fleet ledger is reached by: TCP with TLS verified against a CA file
/// (`sslmode=verify-full&sslrootcert=…`), a unix socket, a connect timeout; the location shown is
/// the URL as given.
@Suite(.enabled(if: LedgerBackend.tested.contains(.postgresql)))
struct PostgresConnectionFormsTests {
    static let env = ProcessInfo.processInfo.environment

    /// A fresh schema in the test cluster reached through `base`, and a ledger on it.
    func ledger(_ base: String) throws -> (PostgresLedger, PostgresConnection, String) {
        let admin = try PostgresConnection.open(url: try #require(TestCluster.url), password: nil)
        let schema = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try admin.execute("CREATE SCHEMA \(schema)")
        let url = base + (base.contains("?") ? "&" : "?") + "connect_timeout=5&options=-csearch_path%3D\(schema)"
        return (try PostgresLedger(url: url, password: nil), admin, schema)
    }

    @Test(.enabled(if: env["PURSE_TEST_PG_SSLROOTCERT"] != nil, "the cluster has no TLS"))
    func verifyFullWithACAFile() throws {
        let ca = try #require(Self.env["PURSE_TEST_PG_SSLROOTCERT"])
        let base = try #require(TestCluster.url) + "?sslmode=verify-full&sslrootcert=\(ca)"
        let (l, admin, schema) = try ledger(base)
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let s = try l.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        _ = try l.reserve(usdc(s, 5), limits: BudgetLimits(daily: Micros(5)), now: t0)
        #expect(l.location.contains("sslmode=verify-full"))
        // A CA that did not sign the server's certificate is refused before anything is sent.
        let e = ledgerError { () throws(LedgerError) in
            _ = try PostgresLedger(url: base.replacingOccurrences(of: ca, with: "/etc/ssl/certs/ca-certificates.crt"), password: nil)
        }
        #expect(e?.code == "ledger.unavailable")
    }

    @Test(.enabled(if: env["PURSE_TEST_PG_SOCKET_URL"] != nil, "no unix socket URL"))
    func overTheUnixSocket() throws {
        let (l, admin, schema) = try ledger(try #require(Self.env["PURSE_TEST_PG_SOCKET_URL"]))
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let s = try l.startSession(kind: "fetch", label: "socket", clientName: nil, now: t0)
        #expect(try l.sessions().map(\.id) == [s.id])
        #expect(l.config.isUnixSocket)
    }
}
