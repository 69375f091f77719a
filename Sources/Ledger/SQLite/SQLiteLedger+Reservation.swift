import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    /// Reserves a payment: in one `BEGIN IMMEDIATE` transaction (behind the `flock` gate), reads
    /// the usage sums, asks `BudgetCheck`, and inserts the row as `reserved`; committed durably
    /// (`synchronous=FULL`) before it returns. The usage returned is what the check read.
    public func reserveWithUsage(_ p: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
        guard !p.sessionID.isEmpty else { throw .ledger(.invalidArgument("session id is empty")) }
        guard !p.host.name.isEmpty else { throw .ledger(.invalidArgument("host is empty")) }
        guard p.micros.value >= 0, p.amountAtomic >= 0 else { throw .ledger(.badAmount("amount is negative")) }
        guard (0...36).contains(p.decimals) else { throw .ledger(.badAmount("token decimals \(p.decimals) are outside 0...36")) }
        do { try integrity.verdict() } catch { throw .ledger(error) }
        let nowMs = Self.millis(now)
        let record = PaymentRecord(id: 0, payment: p, createdAt: Self.date(nowMs), updatedAt: Self.date(nowMs), status: .reserved)
        do {
            return try gate.withGate { try dbQueue.write { db in
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM session WHERE id = ?"), arguments: [p.sessionID]) != nil else {
                    throw LedgerError.unknownSession(p.sessionID)
                }
                let usage = try Self.usage(db, sessionID: p.sessionID, host: p.host, allHosts: false, windowStart: nowMs - Self.dayMillis)
                if let refusal = BudgetCheck.refusal(amount: p.micros, host: p.host, symbol: p.assetSymbol, usage: usage, limits: limits) {
                    throw Refused(refusal: refusal)
                }
                return Reservation(record: try record.inserted(db), usageBefore: usage)
            } }
        } catch let r as Refused {
            throw .refused(r.refusal)
        } catch {
            throw .ledger(LedgerError.from(error, path: path, busyTimeout: options.busyTimeout))
        }
    }

    /// Carries a refusal out of the GRDB transaction closure (which rolls back on throw).
    private struct Refused: Error { let refusal: BudgetRefusal }

    /// The usage sums: the session's counting rows, the rolling 24 hours', and the host's (or
    /// every host's) rolling 24 hours'. Counting means every status but `failed`; covering
    /// indexes (migration v2) let each sum read only the index.
    static func usage(_ db: Database, sessionID: String, host: HostName?, allHosts: Bool, windowStart: Int64) throws -> BudgetUsage {
        let session = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(micros), 0) AS spent,
                   COALESCE(SUM(CASE WHEN status <> 'settled' THEN micros ELSE 0 END), 0) AS pending
            FROM payment WHERE status <> 'failed' AND session_id = ?
            """), arguments: [sessionID])
        let daily = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND created_at > ?
            """), arguments: [windowStart]) ?? 0
        var hosts: [HostName: Micros] = [:]
        if allHosts {
            for r in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT host, SUM(micros) AS spent FROM payment WHERE status <> 'failed' AND created_at > ? GROUP BY host
                """), arguments: [windowStart]) {
                hosts[HostName(r["host"] as String)] = Micros(r["spent"])
            }
        }
        if let host, hosts[host] == nil {
            hosts[host] = Micros(try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND host = ? AND created_at > ?
                """), arguments: [host.name, windowStart]) ?? 0)
        }
        return BudgetUsage(sessionID: sessionID, sessionSpent: Micros(session?["spent"] ?? 0), dailySpent: Micros(daily),
                           hostDailySpent: hosts, sessionPending: Micros(session?["pending"] ?? 0))
    }
}
