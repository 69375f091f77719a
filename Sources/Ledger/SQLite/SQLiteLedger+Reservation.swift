import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    /// Reserves a payment: in one `BEGIN IMMEDIATE` transaction (behind the `flock` gate), reads
    /// the usage sums, asks `BudgetCheck`, and inserts the row as `reserved`; durable before it
    /// returns. The commit does not sync inside the lock: the log is synced after the lock and
    /// the gate are given back (`WALSync`), so contending processes overlap their flushes. The
    /// usage returned is what the check read.
    public func reserveWithUsage(_ p: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
        guard !p.sessionID.isEmpty else { throw .ledger(.invalidArgument("session id is empty")) }
        guard !p.host.name.isEmpty else { throw .ledger(.invalidArgument("host is empty")) }
        guard p.micros.value >= 0, p.amountAtomic >= 0 else { throw .ledger(.badAmount("amount is negative")) }
        guard (0...36).contains(p.decimals) else { throw .ledger(.badAmount("token decimals \(p.decimals) are outside 0...36")) }
        do { try integrity.verdict() } catch { throw .ledger(error) }
        let nowMs = Self.millis(now)
        let record = PaymentRecord(id: 0, payment: p, createdAt: Self.date(nowMs), updatedAt: Self.date(nowMs), status: .reserved)
        let body = { (db: Database) throws -> Reservation in
            let (usage, known) = try Self.usage(db, sessionID: p.sessionID, host: p.host, allHosts: false, windowStart: nowMs - Self.dayMillis)
            guard known else { throw LedgerError.unknownSession(p.sessionID) }
            if let refusal = BudgetCheck.refusal(amount: p.micros, host: p.host, symbol: p.assetSymbol, usage: usage, limits: limits) {
                throw Refused(refusal: refusal)
            }
            return Reservation(record: try Self.insert(record, db), usageBefore: usage)
        }
        do {
            let reservation = try gate.withGate { try dbQueue.writeWithoutTransaction { db in try Self.immediateTransaction(db, body) } }
            if options.synchronousFull { try syncCommitted() }
            return reservation
        } catch let r as Refused {
            throw .refused(r.refusal)
        } catch {
            throw .ledger(LedgerError.from(error, path: path, busyTimeout: options.busyTimeout))
        }
    }

    /// Carries a refusal out of the GRDB transaction closure (which rolls back on throw).
    private struct Refused: Error { let refusal: BudgetRefusal }

    /// The usage sums, read from the running totals (migration v8, `BudgetTotalsSQL`): the
    /// session's counting and pending micros, the rolling 24 hours', and the host's (or every
    /// host's) rolling 24 hours'; and whether the session exists (an unknown one spent nothing).
    static func usage(_ db: Database, sessionID: String, host: HostName?, allHosts: Bool, windowStart: Int64) throws -> (BudgetUsage, known: Bool) {
        guard let row = try DirectStatement(db, sql: usageSQL).integers([.text(sessionID), .integer(windowStart), .text(host?.name ?? "")],
                                                                        columns: usageColumns)
        else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "the budget read answered no row", sql: usageSQL) }
        let (known, sessionSpent, sessionPending, daily, hostDaily) = (row[0] != 0, row[1], row[2], row[3], row[4])
        var hosts: [HostName: Micros] = [:]
        if allHosts {
            for r in try Row.fetchAll(db.cachedStatement(sql: hostSumsSQL), arguments: [windowStart]) {
                hosts[HostName(r[0] as String)] = Micros(r[1] as Int64)
            }
        }
        if let host, hosts[host] == nil { hosts[host] = Micros(hostDaily) }
        let usage = BudgetUsage(sessionID: sessionID, sessionSpent: Micros(sessionSpent), dailySpent: Micros(daily),
                                hostDailySpent: hosts, sessionPending: Micros(sessionPending))
        return (usage, known)
    }

    /// The columns of `usageSQL` that `usage` reads, in the order it reads them.
    private static let usageColumns = ["known", "session_spent", "session_pending", "daily", "host_daily"]

    /// `BudgetTotalsSQL.usageSelect` with parameters: ?1 session id, ?2 window start (ms), ?3 host.
    private static let usageSQL = BudgetTotalsSQL.usageSelect(session: "?1", windowStart: "?2", host: "?3")
    /// `BudgetTotalsSQL.hostSums` with ?1 the window start (ms).
    private static let hostSumsSQL = BudgetTotalsSQL.hostSums(windowStart: "?1")
}
