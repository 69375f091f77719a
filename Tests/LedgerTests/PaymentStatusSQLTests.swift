import GRDB
import Testing
@testable import Ledger

/// The equality spellings mean what `IN` and `NOT IN` meant: for every subset of the statuses
/// and every status a row can hold, SQLite answers as Swift's set membership does.
@Suite struct PaymentStatusSQLTests {
    @Test func everySubsetAnswersAsSetMembership() throws {
        let db = try DatabaseQueue()
        let all = PaymentStatus.allCases
        try db.read { db in
            for mask in 0..<(1 << all.count) {
                let subset = Set(all.indices.filter { mask & (1 << $0) != 0 }.map { all[$0] })
                for status in all {
                    let column = "'\(status.rawValue)'"
                    let oneOf = try Bool.fetchOne(db, sql: "SELECT \(PaymentStatusSQL.isOneOf(subset, column: column))")
                    let noneOf = try Bool.fetchOne(db, sql: "SELECT \(PaymentStatusSQL.isNoneOf(subset, column: column))")
                    #expect(oneOf == subset.contains(status), "\(status) one of \(subset)")
                    #expect(noneOf == !subset.contains(status), "\(status) none of \(subset)")
                }
            }
        }
    }

    /// The same text for the same set, whatever order it came in: a partial index and the
    /// queries it serves must state their condition alike.
    @Test func theTextFollowsTheStatusesDeclarationOrder() {
        #expect(PaymentStatusSQL.isOneOf([.unknown, .reserved, .sent]) == "(status = 'reserved' OR status = 'sent' OR status = 'unknown')")
        #expect(PaymentStatusSQL.isOneOf([.sent]) == "status = 'sent'")
        #expect(PaymentStatusSQL.isNoneOf([.failed], column: "NEW.status") == "NEW.status <> 'failed'")
        #expect(PaymentIndexSQL.openRows == PaymentStatusSQL.isOneOf([.sent, .unknown, .reserved]))
    }
}
