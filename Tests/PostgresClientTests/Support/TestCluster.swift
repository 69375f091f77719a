import Foundation
import Testing
@testable import PostgresClient

/// The private cluster that scripts/test (or a developer, with scripts/pg-cluster) started.
enum PG {
    static let env = ProcessInfo.processInfo.environment

    /// `PURSE_TEST_PG_URL`, or nil when no cluster was started (the server tests are then skipped).
    static let url: String? = env["PURSE_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: Bool { url != nil }
    static let skipReason: Comment = """
        PURSE_TEST_PG_URL is not set, so the PostgreSQL server tests are skipped. scripts/test starts a \
        private cluster; by hand: set -a; eval "$(scripts/pg-cluster start /tmp/purse-pg)"; set +a
        """

    static var socketURL: String? { env["PURSE_TEST_PG_SOCKET_URL"] }
    static var socketDir: String? { env["PURSE_TEST_PG_SOCKET_DIR"] }
    static var port: String? { env["PURSE_TEST_PG_PORT"] }
    static var sslRootCert: String? { env["PURSE_TEST_PG_SSLROOTCERT"] }
    static var passwordGroup: String { env["PURSE_TEST_PG_PASSWORD_GROUP"] ?? "purse_password_auth" }

    /// The repository's scripts/pg-cluster.
    static let clusterScript: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() } // Support, PostgresClientTests, Tests, repo
        return url.appendingPathComponent("scripts/pg-cluster").path
    }()

    /// The test URL with extra query parameters.
    static func url(_ base: String? = PG.url, adding params: String) -> String {
        guard let base else { return "" }
        return base + (base.contains("?") ? "&" : "?") + params
    }

    /// Opens a connection to the test database (trust authentication, no password).
    static func connect() throws(PostgresError) -> PostgresConnection {
        try connect(url ?? "")
    }

    /// Opens a connection to `url` without a password.
    static func connect(_ url: String) throws(PostgresError) -> PostgresConnection {
        try PostgresConnection.open(url: url, password: nil)
    }

    /// A name unique to this run, for tables and roles shared between connections.
    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// Runs scripts/pg-cluster with arguments and returns its stdout (env lines); fails on error.
    @discardableResult
    static func cluster(_ args: String...) throws -> [String: String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [clusterScript] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw PurseTestError("pg-cluster \(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        var env: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if let eq = line.firstIndex(of: "=") { env[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
        }
        return env
    }
}

struct PurseTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Runs `body`, which must throw a `PostgresError` of `kind`; returns it (nil, with an issue, otherwise).
@discardableResult
func expectPG(_ kind: PostgresError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
              _ body: () throws -> Void) -> PostgresError? {
    do {
        try body()
        Issue.record("expected \(kind.rawValue), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        #expect(error.kind == kind, "\(error.description)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(kind.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
