import Foundation
import GRDB

/// The ledger file's `PRAGMA quick_check`, and the verdict every reservation waits for.
///
/// quick_check reads every page, so its cost grows with the file, and it used to run on every
/// open, before `purse serve` could answer its first request. Now a small file is still checked
/// before the ledger opens (a damaged one is refused and left untouched), while a larger one is
/// checked on a connection of its own, in a low-priority thread, once the process has had
/// `grace` to answer its first requests, or at once when a reservation asks first. Either way no
/// payment is reserved in a file that has not passed: `reserve` waits for the verdict.
final class IntegrityCheck: @unchecked Sendable {
    private enum State {
        case pending
        case passed
        case failed(LedgerError)
    }

    private let condition = NSCondition()
    private var state: State
    /// Whether a reservation is waiting for the verdict (the check then starts at once).
    private var asked = false

    /// How long after opening the background check waits before it starts, unless a
    /// reservation asks first: the check reads every page of the file (about 1 ms per MiB here)
    /// on the machine's other core, which is where an MCP host's first requests are answered.
    static let grace: TimeInterval = 0.25

    private init(_ state: State) { self.state = state }

    /// A file that needs no check (checked inline, or the options turned the check off).
    static let passed = IntegrityCheck(.passed)

    /// Runs quick_check on `db` and throws `ledger.corrupt` unless it answers "ok". `label` says
    /// which check found it: run after the open, the file may hold this process's session row.
    /// A page so damaged that the check itself stops (SQLite's "malformed") is reported the same
    /// way, so the refusal names the check that found it.
    static func run(_ db: Database, path: String, label: String = "quick_check") throws {
        let result: [String]
        do {
            result = try String.fetchAll(db, sql: "PRAGMA quick_check")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw LedgerError.corrupt(path: path, detail: label + ": " + (error.message ?? "database disk image is malformed"))
        }
        if result != ["ok"] {
            throw LedgerError.corrupt(path: path, detail: label + ": " + result.prefix(3).joined(separator: "; "))
        }
    }

    /// Starts the check of the ledger at `path` on a read-only connection of its own, in a
    /// thread at a lower scheduling priority than the process's others.
    static func inBackground(path: String, busyTimeout: Double, grace: TimeInterval = grace) -> IntegrityCheck {
        let check = IntegrityCheck(.pending)
        let thread = Thread {
            #if os(Linux)
            // On Linux the nice value is per thread and `who` 0 is the calling thread: the check
            // yields the CPU to the process's first answers.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            check.awaitStart(deadline: Date(timeIntervalSinceNow: grace))
            check.finish(Self.verdict(path: path, busyTimeout: busyTimeout))
        }
        thread.name = "purse.ledger.check"
        thread.start()
        return check
    }

    private static func verdict(path: String, busyTimeout: Double) -> LedgerError? {
        var config = Configuration()
        config.readonly = true
        config.label = "purse.ledger.check"
        // quick_check streams through the pages once: a small cache is as fast and keeps the
        // process's memory flat however large the file is.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = 64") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                try run(db, path: path, label: "quick_check after opening (nothing was reserved; a session row may have been written)")
            }
            try queue.close()
            return nil
        } catch {
            return LedgerError.from(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Returns at `deadline`, or earlier once a reservation asks for the verdict.
    private func awaitStart(deadline: Date) {
        condition.lock()
        defer { condition.unlock() }
        while !asked, condition.wait(until: deadline) {}
    }

    private func finish(_ failure: LedgerError?) {
        condition.lock()
        state = failure.map { .failed($0) } ?? .passed
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once the file has passed; throws what the check found otherwise. Waits while the
    /// check is still running (it always finishes: one pass over the file).
    func verdict() throws(LedgerError) {
        condition.lock()
        defer { condition.unlock() }
        if !asked {
            asked = true
            condition.broadcast()  // a check still in its grace period starts now
        }
        while true {
            switch state {
            case .passed: return
            case let .failed(error): throw error
            case .pending: condition.wait()
            }
        }
    }
}
