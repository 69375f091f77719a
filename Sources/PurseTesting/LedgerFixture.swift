import Foundation
import Ledger
import PostgresClient

/// Which ledger backend a shared ledger test runs against.
public enum LedgerBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgresql

    public var description: String { rawValue }

    /// The backends to test: SQLite always; PostgreSQL when a cluster is given
    /// (`PURSE_TEST_PG_URL`, as scripts/test exports) or demanded (`PURSE_TEST_REQUIRE_PG=1`:
    /// then a missing cluster fails every PostgreSQL case instead of leaving it out).
    public static let tested: [LedgerBackend] = TestCluster.url != nil || TestCluster.required ? [.sqlite, .postgresql] : [.sqlite]
}

/// The private PostgreSQL cluster of scripts/pg-cluster, as its environment lines name it.
public enum TestCluster {
    static let env = ProcessInfo.processInfo.environment
    /// `PURSE_TEST_PG_URL`, or nil.
    public static let url: String? = env["PURSE_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    /// True when the PostgreSQL cases must run (scripts/test sets `PURSE_TEST_REQUIRE_PG=1`).
    public static let required = env["PURSE_TEST_REQUIRE_PG"] == "1"
}

/// Why a test fixture could not be made.
public struct LedgerFixtureError: Error, CustomStringConvertible {
    public let description: String
}

/// A fresh, empty ledger of one backend for one test: a SQLite file in a temporary directory, or
/// a PostgreSQL schema of its own in the test cluster (dropped when the fixture goes), so tests
/// run in parallel without seeing each other's rows.
public final class LedgerFixture: @unchecked Sendable {
    public let backend: LedgerBackend
    /// The file path or URL (`LedgerStore.open` opens another connection to it).
    public let location: String
    /// The ledger under test.
    public let ledger: any PaymentLedger
    /// The SQLite file's directory, removed when the fixture goes; nil for PostgreSQL.
    private let dir: ScratchDirectory?
    private let scratch: ScratchSchema?

    public init(_ backend: LedgerBackend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let dir = try ScratchDirectory("purse-ledger-fixture")
            self.dir = dir
            scratch = nil
            location = dir.file("purse.db")
        case .postgresql:
            guard let url = TestCluster.url else {
                throw LedgerFixtureError(description: "PURSE_TEST_PG_URL is not set but PostgreSQL tests are required: start scripts/pg-cluster")
            }
            let schema = try ScratchSchema(base: url)
            dir = nil
            scratch = schema
            location = schema.url
        }
        ledger = try LedgerStore.open(location, password: nil)
    }

    /// Another connection to the same ledger, as another process (or machine) would have.
    public func another() throws -> any PaymentLedger { try LedgerStore.open(location, password: nil) }

    /// Runs raw SQL on the ledger outside the payment API (tests that damage rows).
    public func executeRaw(_ sql: String) throws {
        switch backend {
        case .sqlite: try SQLiteLedger(path: location).executeRaw(sql)
        case .postgresql: try scratch!.execute(sql)
        }
    }

    deinit {
        (ledger as? PostgresLedger)?.close()
    }
}
