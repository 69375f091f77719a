import Foundation
import GRDB
import Testing
@testable import Ledger

/// The C-API path of the paid request's statements binds and reads what GRDB would, and fails
/// as GRDB would: with a `DatabaseError` carrying SQLite's code, leaving the statement reusable.
@Suite struct DirectStatementTests {
    func scratch() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { try $0.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER CHECK (n >= 0))") }
        return db
    }

    @Test func bindsTextIntegersAndNullByPositionExactly() throws {
        let db = try scratch()
        // Multi-byte characters and an embedded NUL: the text is bound by its UTF-8 length.
        let text = "zürich ✓ \u{0}after"
        try db.write { db in
            try DirectStatement(db, sql: "INSERT INTO t (s, n) VALUES (?, ?)").execute([.text(text), .integer(Int64.max)])
            try DirectStatement(db, sql: "INSERT INTO t (s, n) VALUES (?, ?)").execute([.null, StoredValue(Int?.none)])
        }
        let rows = try db.read { try Row.fetchAll($0, sql: "SELECT hex(s) AS h, n, s FROM t ORDER BY id") }
        #expect(rows[0]["h"] as String? == text.utf8.map { String(format: "%02X", $0) }.joined(), "every byte, the NUL and what follows it included")
        #expect(rows[0]["n"] as Int64? == Int64.max)
        #expect(rows[1]["s"] as String? == nil && rows[1]["n"] as Int64? == nil)
    }

    @Test func readsIntegerColumnsByNameAndNilForNoRow() throws {
        let db = try scratch()
        try db.read { db in
            let s = try DirectStatement(db, sql: "SELECT ?1 + 1 AS b, ?1 AS a, NULL AS z")
            #expect(try s.integers([.integer(41)], columns: ["a", "b", "z"]) == [41, 42, 0])
            #expect(try s.integers([.integer(1)], columns: ["b"]) == [2], "the cached statement runs again")
            #expect(try DirectStatement(db, sql: "SELECT 1 AS a WHERE ?").integers([.integer(0)], columns: ["a"]) == nil)
            #expect(throws: DatabaseError.self) { try s.integers([.integer(1)], columns: ["missing"]) }
        }
    }

    @Test func failuresAreDatabaseErrorsAndTheStatementStaysUsable() throws {
        let db = try scratch()
        try db.write { db in
            let insert = try DirectStatement(db, sql: "INSERT INTO t (s, n) VALUES (?, ?)")
            do {
                try insert.execute([.text("x"), .integer(-1)])
                Issue.record("a CHECK violation went through")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
            }
            do {
                try insert.execute([.text("too few")])
                Issue.record("a missing parameter went through")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_RANGE)
            }
            try insert.execute([.text("ok"), .integer(1)])
        }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 1)
    }
}
