import Foundation
import Ledger
import PurseCore

/// The spend log as every face shows it (`purse spend-log`, the `spend_log` tool, the
/// `purse://spend-log` resource): one query, one meaning of `--session`.
public enum SpendLog {
    /// Reads the payments matching the filters and the usage of the session the report is about
    /// (the one asked for, else the asker's own).
    public static func report(ledger: any PaymentLedger, policy: Policy, session: String?, own: String?, since: Date? = nil,
                              host: HostName? = nil, status: PaymentStatus? = nil, limit: Int? = nil,
                              now: Date = Date()) throws(PurseError) -> SpendLogReport {
        do {
            let sessions = try ledger.sessions()
            let selected = try SessionSelector.resolve(session, sessions: sessions, own: own)
            let payments = try ledger.payments(PaymentFilter(since: since, sessionID: selected, host: host, status: status, limit: limit))
            let about = selected ?? own
            let usage = try ledger.usage(sessionID: about ?? "", host: nil, allHosts: true, now: now)
            return SpendLogReport(payments: payments, sessions: sessions, limits: policy.budgetLimits, usage: usage,
                                  currentSessionID: about, now: now, budgetSymbol: policy.symbol)
        } catch let e as PurseError {
            throw e
        } catch let e as LedgerError {
            throw PurseError(e.code, e.message)
        } catch {
            throw PurseError("ledger.database_error", "\(error)")
        }
    }

    /// The report for a ledger that does not exist yet: no payments, the limits in force.
    public static func empty(policy: Policy, now: Date = Date()) -> SpendLogReport {
        SpendLogReport(payments: [], sessions: [], limits: policy.budgetLimits, usage: nil, currentSessionID: nil, now: now,
                       budgetSymbol: policy.symbol)
    }
}
