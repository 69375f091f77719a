import Foundation
import Ledger
import PurseCore

/// What `current` and `last` mean, once, for `purse spend-log --session`, `purse budget
/// --session` and the `spend_log` tool.
///
/// - `current`: the asking process's own session when it has one (`serve`); otherwise the
///   newest `serve` or `fetch` session whose process is still running on this machine.
/// - `last`: the newest paying session other than the asker's own, else the asker's own.
/// - anything else: a session id, which must exist.
public enum SessionSelector {
    /// The session kinds that pay (reports and reconcile never start sessions that pay).
    static let payingKinds: Set<String> = ["serve", "fetch", "quote"]

    /// Resolves `text` (nil means every session).
    ///
    /// - Throws: `PurseError` `session.none`, `session.not_running` or `session.unknown`.
    public static func resolve(_ text: String?, sessions: [SessionRecord], own: String?) throws(PurseError) -> String? {
        guard let text else { return nil }
        let newest = sessions.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
        switch text {
        case "current":
            if let own { return own }
            guard let s = newest.first(where: { ["serve", "fetch"].contains($0.kind) && isRunningHere($0) }) else {
                throw PurseError("session.not_running", "no Purse session is running now; use --session last")
            }
            return s.id
        case "last":
            if let s = newest.first(where: { payingKinds.contains($0.kind) && $0.id != own }) { return s.id }
            if let own { return own }
            throw PurseError("session.none", "there are no sessions yet")
        default:
            guard sessions.contains(where: { $0.id == text }) else { throw PurseError("session.unknown", "no session \(text)") }
            return text
        }
    }

    /// Whether the session's process is alive on this machine (a session of another machine
    /// sharing the ledger is never "running here").
    static func isRunningHere(_ s: SessionRecord) -> Bool {
        if let machine = s.machine, let here = MachineName.current, machine != here { return false }
        return kill(s.pid, 0) == 0
    }
}
