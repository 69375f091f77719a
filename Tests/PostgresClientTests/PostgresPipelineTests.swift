import Foundation
import PurseCore
import Testing
@testable import PostgresClient

/// `PostgresConnection.pipeline`: a transaction sent in one round trip, and what its outcome is
/// when a statement fails or the connection breaks before or after its COMMIT.
@Suite(.enabled(if: PG.available, PG.skipReason), .timeLimit(.minutes(2)))
struct PostgresPipelineTests {
    @Test func everyStatementAnswersInOrder() throws {
        let conn = try PG.connect()
        let answers = try conn.pipeline(transaction: [.sql("SELECT 1 AS one"), .sql("SELECT 'a', NULL")], then: [.sql("SELECT 2")])
        #expect(answers.count == 3)
        #expect(answers[0].rows == [["1"]] && answers[0].columns == ["one"])
        #expect(answers[1].rows == [["a", nil]])
        #expect(answers[2].scalar == "2")
        #expect(!conn.inTransaction)
    }

    /// The follow-up is a transaction of its own: it runs whatever became of the first.
    @Test func aFailureBeforeCommitRollsBackAndLeavesTheConnectionUsable() throws {
        let admin = try PG.connect()
        let table = PG.uniqueName("pipeline_rollback")
        try admin.execute("CREATE TABLE \(table) (id int)")
        defer { _ = try? admin.execute("DROP TABLE \(table)") }
        let conn = try PG.connect()
        let e = expectPG(.queryFailed) {
            _ = try conn.pipeline(transaction: [.sql("INSERT INTO \(table) VALUES (1)"), .sql("SELECT 1 / 0"), .sql("SELECT 3")],
                                  then: [.sql("INSERT INTO \(table) VALUES (2)")])
        }
        #expect(e?.sqlState == "22012" && e?.mayHaveCommitted == false)
        #expect(!conn.inTransaction)
        #expect(try conn.query("SELECT string_agg(id::text, ',') FROM \(table)").scalar == "2", "the transaction left nothing; the follow-up ran")
    }

    @Test func aFailureAfterCommitLeavesTheOutcomeUnknown() throws {
        let admin = try PG.connect()
        let table = PG.uniqueName("pipeline_after")
        try admin.execute("CREATE TABLE \(table) (id int)")
        defer { _ = try? admin.execute("DROP TABLE \(table)") }
        let conn = try PG.connect()
        let e = expectPG(.commitUnknown) {
            _ = try conn.pipeline(transaction: [.sql("INSERT INTO \(table) VALUES (1)")], then: [.sql("SELECT 1 / 0")])
        }
        #expect(e?.mayHaveCommitted == true)
        #expect(try admin.query("SELECT count(*) FROM \(table)").scalar == "1", "the COMMIT itself went through")
    }

    @Test func aConnectionKilledBeforeCommitCommittedNothing() throws {
        let admin = try PG.connect()
        let table = PG.uniqueName("pipeline_killed")
        try admin.execute("CREATE TABLE \(table) (id int PRIMARY KEY); INSERT INTO \(table) VALUES (1)")
        defer { _ = try? admin.execute("DROP TABLE \(table)") }
        // The admin holds the row's lock, so the pipeline waits on it before its COMMIT.
        let holder = try PG.connect()
        try holder.execute("BEGIN; SELECT id FROM \(table) WHERE id = 1 FOR UPDATE")
        let conn = try PG.connect()
        let pid = try #require(conn.backendPID)
        let outcome = Locked<Result<[PostgresRows], PostgresError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let result = Result { () throws(PostgresError) in
                try conn.pipeline(transaction: [.sql("SELECT id FROM \(table) WHERE id = 1 FOR UPDATE"), .sql("INSERT INTO \(table) VALUES (2)")],
                                  then: [.sql("SELECT 1")])
            }
            outcome.withLock { $0 = result }
            done.signal()
        }.start()
        // Wait (bounded) until the pipeline's backend is blocked on the lock, then kill it.
        let deadline = Date().addingTimeInterval(20)
        while try admin.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [String(pid)]).scalar != "Lock" {
            try #require(Date() < deadline, "the pipeline never waited on the lock")
            usleep(5_000)
        }
        #expect(try admin.query("SELECT pg_terminate_backend($1, 5000)", [String(pid)]).scalar == "t")
        #expect(done.wait(timeout: .now() + 20) == .success)
        try holder.execute("ROLLBACK")
        let finished = outcome.withLock { $0 }
        guard case let .failure(e)? = finished else { Issue.record("the pipeline did not fail: \(String(describing: finished))"); return }
        #expect(e.kind == .connectionLost && e.mayHaveCommitted == false, "\(e)")
        #expect(try admin.query("SELECT count(*) FROM \(table)").scalar == "1")
    }

    @Test func aPipelineIsRefusedInsideATransactionOrWithoutOne() throws {
        let conn = try PG.connect()
        expectPG(.invalidState) { _ = try conn.pipeline(transaction: [], then: [.sql("SELECT 1")]) }
        try conn.execute("BEGIN")
        expectPG(.invalidState) { _ = try conn.pipeline(transaction: [.sql("SELECT 1")]) }
        try conn.execute("ROLLBACK")
    }

    @Test func aStatementIsPreparedOncePerConnection() throws {
        let conn = try PG.connect()
        try conn.prepareOnce("purse_test_add", parameterTypes: ["bigint", "bigint"], "SELECT $1 + $2")
        try conn.prepareOnce("purse_test_add", parameterTypes: ["bigint", "bigint"], "SELECT $1 + $2") // A second PREPARE would fail.
        #expect(try conn.execute("EXECUTE purse_test_add(40, 2)").scalar == "42")
        // In a pipeline, parameters travel apart from the SQL: quotes and semicolons are data.
        let tricky = "it's \"quoted\"; DROP TABLE x; --"
        let answers = try conn.pipeline(transaction: [.prepared("purse_test_add", ["40", "2"]), .sql("SELECT $1::text, $2::text", [tricky, nil])])
        #expect(answers[0].scalar == "42")
        #expect(answers[1].rows == [[tricky, nil]])
    }
}
