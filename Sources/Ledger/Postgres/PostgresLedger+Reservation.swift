import Foundation
import PostgresClient
import PurseCore

extension PostgresLedger {
    /// Reserves a payment: one READ COMMITTED transaction that locks the budget row (in BEGIN's
    /// round trip), reads the session check and every usage sum in one statement, asks
    /// `BudgetCheck`, inserts the row and commits (durably, before the lock is released).
    ///
    /// Faults: the server unreachable → `ledger.unavailable`; the connection lost before COMMIT
    /// → retried once on a fresh connection, then `ledger.connection_lost` (nothing stored);
    /// COMMIT unanswered → `ledger.commit_unknown` (the row may exist and then counts until
    /// reconcile releases it; the caller signs nothing); a statement timeout → `ledger.timeout`.
    public func reserve(_ p: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> PaymentRecord {
        guard !p.sessionID.isEmpty else { throw .ledger(.invalidArgument("session id is empty")) }
        guard !p.host.name.isEmpty else { throw .ledger(.invalidArgument("host is empty")) }
        guard p.micros.value >= 0, p.amountAtomic >= 0 else { throw .ledger(.badAmount("amount is negative")) }
        guard (0...36).contains(p.decimals) else { throw .ledger(.badAmount("token decimals \(p.decimals) are outside 0...36")) }
        let nowMs = LedgerTime.millis(now)
        let record = PaymentRecord(id: 0, payment: p, createdAt: LedgerTime.date(nowMs), updatedAt: LedgerTime.date(nowMs), status: .reserved)
        let location = self.location
        let outcome: Result<Int64, BudgetRefusal>
        do {
            // Two round trips: [BEGIN; lock the budget row; the sums, the session check and the
            // next id], then [INSERT; COMMIT]. The lock is held from the first statement's grant
            // to the durable commit, and nothing else happens in between but `BudgetCheck`.
            outcome = try withConnection { conn in
                let sumsSQL = "SELECT " + (try Self.usageColumns(session: conn.literal(p.sessionID),
                                                                 windowStart: String(nowMs - LedgerTime.dayMillis),
                                                                 host: conn.literal(p.host.name)))
                    + ", nextval(pg_get_serial_sequence('payment', 'id'))"
                let options = TransactionOptions(prelude: Self.lockSQL + "; " + sumsSQL)
                return try conn.transaction(options) { tx in
                    guard let sums = tx.preludeRows, sums.scalar != nil else {
                        throw LedgerError.server(location: location, sqlState: nil, detail: "the budget sums came back empty")
                    }
                    guard sums.scalar == "t" else { throw LedgerError.unknownSession(p.sessionID) }
                    let usage = try Self.usage(sums, sessionID: p.sessionID, host: p.host, location: location)
                    if let refusal = BudgetCheck.refusal(amount: p.micros, host: p.host, symbol: p.assetSymbol, usage: usage, limits: limits) {
                        return .failure(refusal)
                    }
                    guard let id = sums.rows[0].last.flatMap({ $0.flatMap { Int64($0) } }) else {
                        throw LedgerError.server(location: location, sqlState: nil, detail: "no payment id from the sequence")
                    }
                    var row = record
                    row.id = id
                    let values = try ([Self.text(id)] + Self.values(row)).map { v in try v.map { try conn.literal($0) } ?? "NULL" }
                    tx.commit(after: "INSERT INTO payment (id, " + Self.columns.joined(separator: ", ") + ") VALUES ("
                              + values.joined(separator: ", ") + ")")
                    return .success(id)
                }
            }
        } catch {
            throw .ledger(error)
        }
        switch outcome {
        case let .failure(refusal): throw .refused(refusal)
        case let .success(id):
            var stored = record
            stored.id = id
            return stored
        }
    }

    public func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        let windowStart = LedgerTime.millis(now) - LedgerTime.dayMillis
        let location = self.location
        return try withConnection { conn in
            try conn.transaction(TransactionOptions(isolation: .repeatableRead, readOnly: true)) { tx in
                let sums = try tx.query(Self.usageSQL, [sessionID, Self.text(windowStart), host?.name ?? ""])
                var usage = try Self.usage(sums, sessionID: sessionID, host: host, location: location)
                if allHosts {
                    let rows = try tx.query("""
                        SELECT host, SUM(micros) FROM payment WHERE status <> 'failed' AND created_at > $1 GROUP BY host
                        """, [Self.text(windowStart)])
                    for r in rows.rows {
                        guard let h = r[0], let v = r[1].flatMap({ Int64($0) }) else { continue }
                        usage.hostDailySpent[HostName(h)] = Micros(v)
                    }
                }
                return usage
            }
        }
    }

    /// The budget row lock every reservation takes first.
    static let lockSQL = "SELECT id FROM budget_lock WHERE id = 1 FOR UPDATE"

    /// The session check and every sum `BudgetCheck` needs, as the columns of one statement (one
    /// round trip). The arguments are SQL: `$1`-style parameters or quoted literals.
    static func usageColumns(session: String, windowStart: String, host: String) -> String {
        """
        EXISTS (SELECT 1 FROM session WHERE id = \(session)),
            (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND session_id = \(session)),
            (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status NOT IN ('failed', 'settled') AND session_id = \(session)),
            (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND created_at > \(windowStart)),
            (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND host = \(host) AND created_at > \(windowStart))
        """
    }

    /// `usageColumns` with parameters: $1 session id, $2 window start (ms), $3 host.
    static let usageSQL = "SELECT " + usageColumns(session: "$1", windowStart: "$2::bigint", host: "$3")

    /// Reads `usageSQL`'s answer; the host's sum is included when `host` is given (even at 0).
    static func usage(_ sums: PostgresRows, sessionID: String, host: HostName?, location: String) throws(LedgerError) -> BudgetUsage {
        guard let row = sums.rows.first, row.count >= 5 else {
            throw .server(location: location, sqlState: nil, detail: "the budget sums came back malformed")
        }
        func int(_ i: Int) throws(LedgerError) -> Int64 {
            guard let text = row[i], let v = Int64(text) else {
                throw .corrupt(path: location, detail: "a budget sum is \(row[i] ?? "NULL"), not a 64-bit integer")
            }
            return v
        }
        var hosts: [HostName: Micros] = [:]
        if let host { hosts[host] = Micros(try int(4)) }
        return BudgetUsage(sessionID: sessionID, sessionSpent: Micros(try int(1)), dailySpent: Micros(try int(3)),
                           hostDailySpent: hosts, sessionPending: Micros(try int(2)))
    }

    /// Every column of a payment row but the id, in `values`' order.
    static let columns = [
        "session_id", "created_at", "updated_at", "method", "url", "host", "network", "asset", "asset_symbol", "decimals",
        "pay_to", "amount_atomic", "micros", "scheme", "x402_version", "nonce", "valid_before", "status", "tx_hash", "payer",
        "error", "http_status", "payment_id", "resource", "offer", "signed_payload", "receipt", "authorization_kind",
        "max_amount_atomic", "amount_source", "amount_note",
    ]

    /// The values of `record` for `columns`, as PostgreSQL text (the same texts SQLite stores).
    static func values(_ r: PaymentRecord) -> [String?] {
        let p = r.payment
        return [
            p.sessionID, text(LedgerTime.millis(r.createdAt)), text(LedgerTime.millis(r.updatedAt)), p.method, p.url, p.host.name,
            p.network, p.asset.text, p.assetSymbol, text(p.decimals), p.payTo.text, text(p.amountAtomic), text(p.micros.value),
            p.scheme, text(p.x402Version), p.authorization.value, text(p.validBefore), r.status.rawValue, r.txHash, p.payer.text,
            r.error, r.httpStatus.map(text), p.paymentId, p.resource, p.offer, r.signedPayload, r.receipt, p.authorization.kind,
            p.maxAmountAtomic.map(text), r.amountSource?.rawValue, r.amountNote,
        ]
    }
}
