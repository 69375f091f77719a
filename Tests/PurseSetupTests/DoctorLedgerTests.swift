import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import PurseSetup

/// `purse doctor`'s advice for a ledger that fails: a file path gets "writable", a PostgreSQL URL
/// gets the server, the password variable (by name, never its value) and the TLS settings.
@Suite struct DoctorLedgerTests {
    static let secret = "Doctor-Pw-9f3b1c77"
    static let url = "postgresql://purse@db.example.internal:6543/fleet?sslmode=verify-full&sslrootcert=/etc/purse/ca.pem"

    static func fix(_ detail: String, passwordEnv: String? = "FLEET_PW", env: [String: String] = ["FLEET_PW": secret],
                    url: String = url) -> String {
        LedgerAdvice.openFix(location: url, error: .unavailable(location: LedgerStore.display(url), detail: detail),
                             passwordEnv: passwordEnv, environment: env)
    }

    @Test func aServerThatDoesNotAnswerGetsServerAdviceNotAPath() async throws {
        let scratch = try ScratchDirectory("purse-doctor-pg")
        let home = scratch.path
        let key = home + "/evm.key"
        try Data("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".utf8).write(to: URL(fileURLWithPath: key))
        chmod(key, 0o600)
        let config = home + "/config.json"
        try Data(#"{"key": {"file": "\#(key)"}, "dbPasswordEnv": "FLEET_PW", "networks": {"eip155:84532": {"rpcUrl": "http://evm.test"}}, "policy": {"allowNetworks": ["eip155:84532"]}}"#.utf8)
            .write(to: URL(fileURLWithPath: config))
        // A port on 127.0.0.1 that nothing listens on: bound, then closed.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        close(fd)
        let down = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false) }
        let doctor = Doctor(configPath: config, configExplicit: true, dbPath: "postgresql://purse@127.0.0.1:\(port)/fleet?connect_timeout=2",
                            environment: ["FLEET_PW": Self.secret, "PATH": home], home: home, platform: .linux, selfPath: home + "/purse", http: down)
        let report = await doctor.run()
        let ledger = try #require(report.check("ledger"))
        #expect(ledger.status == .fail && ledger.detail.contains("ledger.unavailable"), "\(ledger)")
        let fix = try #require(ledger.fix)
        #expect(!fix.contains("writable path"), "\(fix)")
        #expect(fix.contains("PostgreSQL at 127.0.0.1:\(port)") && fix.contains("pg_isready -h 127.0.0.1 -p \(port)"), "\(fix)")
        #expect(fix.contains("held in FLEET_PW") && fix.contains("sslmode"), "\(fix)")
        #expect(!report.text.contains(Self.secret) && !report.json.encoded().contains(Self.secret))
    }

    @Test func aSQLitePathKeepsThePathAdvice() {
        let fix = LedgerAdvice.openFix(location: "/nope/purse.db", error: .openFailed(path: "/nope/purse.db", reason: "no directory"),
                                       passwordEnv: "FLEET_PW", environment: [:])
        #expect(fix == "set --db, PURSE_DB or the config's db to a writable path")
    }

    @Test func aRefusedPasswordNamesTheVariableNeverTheValue() {
        let set = Self.fix("pg.auth_failed: password authentication failed for user \"purse\"")
        #expect(set.contains("the password of user purse held in FLEET_PW") && set.contains("pg_hba.conf"), "\(set)")
        #expect(!set.contains(Self.secret))
        let unset = Self.fix("pg.auth_failed: no password supplied", env: [:])
        #expect(unset.contains("export FLEET_PW"), "\(unset)")
        let none = Self.fix("pg.auth_failed: no password supplied", passwordEnv: nil, env: [:])
        #expect(none.contains("dbPasswordEnv") && none.contains("never in the URL"), "\(none)")
    }

    @Test func aTLSFailureNamesTheModeTheCAAndTheHost() {
        let fix = Self.fix("pg.tls_failed: certificate verify failed")
        #expect(fix.contains("sslmode verify-full") && fix.contains("/etc/purse/ca.pem") && fix.contains("names db.example.internal"), "\(fix)")
        let noCA = Self.fix("pg.tls_failed: SSL error", url: "postgresql://purse@db.example.internal/fleet?sslmode=require")
        #expect(noCA.contains("sslmode require") && noCA.contains("sslrootcert=PATH"), "\(noCA)")
    }

    @Test func anUnknownDatabaseAndAUnixSocket() {
        let unknown = Self.fix("pg.unknown_database: database \"fleet\" does not exist")
        #expect(unknown.contains("create database fleet at db.example.internal:6543 (createdb)"), "\(unknown)")
        let socket = Self.fix("pg.connect_failed: no such file", url: "postgresql:///fleet?host=/run/purse-pg")
        #expect(socket.contains("PostgreSQL on the socket in /run/purse-pg") && socket.contains("pg_isready -h /run/purse-pg"), "\(socket)")
    }

    @Test func aURLThatDoesNotParseGetsItsShapeNotAnEcho() {
        let bad = "postgresql://purse@h/fleet?password=" + Self.secret
        let fix = LedgerAdvice.openFix(location: bad, error: .openFailed(path: "the PostgreSQL URL", reason: "no"), passwordEnv: nil, environment: [:])
        #expect(fix.contains("postgresql://USER@HOST:PORT/DATABASE") && fix.contains("dbPasswordEnv"), "\(fix)")
        #expect(!fix.contains(Self.secret))
    }

    @Test func anUnhealthyPostgresLedgerIsNotToBeMovedAside() {
        func health(integrity: Bool, writable: Bool) -> LedgerHealth {
            LedgerHealth(backend: "postgresql", schemaVersion: "v9", latestSchemaVersion: "v9", integrityOK: integrity,
                         integrity: integrity ? "ok" : "bad", writable: writable)
        }
        let readOnly = LedgerAdvice.healthFix(location: Self.url, health: health(integrity: true, writable: false))
        #expect(readOnly.contains("let user purse write") && readOnly.contains("GRANT") && readOnly.contains("standby"), "\(readOnly)")
        let broken = LedgerAdvice.healthFix(location: Self.url, health: health(integrity: false, writable: true))
        #expect(!broken.contains("move") && broken.contains("purse reconcile"), "\(broken)")
        let file = LedgerAdvice.healthFix(location: "/tmp/p.db", health: health(integrity: true, writable: false))
        #expect(file == "make /tmp/p.db and its directory writable")
    }

    /// A shared ledger across the network must verify its server; locally, or over a unix
    /// socket, nothing to warn about.
    @Test func anUnverifiedRemoteLedgerIsWarnedAbout() throws {
        #expect(LedgerAdvice.weakTLSWarning(location: Self.url) == nil)
        #expect(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@db.internal/fleet?sslmode=verify-ca&sslrootcert=/ca.pem") == nil)
        #expect(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@127.0.0.1:5432/fleet") == nil)
        #expect(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@localhost/fleet?sslmode=disable") == nil)
        #expect(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@%2Frun%2Fpostgresql/fleet") == nil)
        #expect(LedgerAdvice.weakTLSWarning(location: "/var/lib/purse/purse.db") == nil)
        let none = try #require(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@db.internal:6543/fleet"))
        #expect(none.contains("db.internal:6543") && none.contains("prefer (the default)") && none.contains("verify-full"))
        let require = try #require(LedgerAdvice.weakTLSWarning(location: "postgresql://purse@db.internal/fleet?sslmode=require"))
        #expect(require.contains("not verified") && require.contains("sslmode require"))
    }
}
