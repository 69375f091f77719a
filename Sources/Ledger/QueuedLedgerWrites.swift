import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ledger writes this process has queued behind their callers (`PaymentLedger.recordQueued`)
/// and not yet finished, with the WAL checkpoints they start (`WALCheckpoints`), which the
/// process waits for before it exits.
///
/// Why at exit, and why here: a queued write is what lets a payment's answer go out before its
/// settled mark is on disk, and every way out of the process (a command's normal end, an
/// `ExitCode` thrown after a failed payment, `serve` when the host closes stdin) goes through
/// `exit`, whose handlers run this wait. Only a kill or a crash skips it, and then the row stays
/// `sent` for reconcile, as after any crash.
public enum QueuedLedgerWrites {
    private static let group = DispatchGroup()
    /// How long the exit handler (and `drain` by default) waits: a write can wait up to the
    /// ledger's busy timeout.
    public static let exitWait: DispatchTimeInterval = .seconds(15)
    private static let exitHandler: Void = {
        atexit { _ = QueuedLedgerWrites.drain() }
    }()

    /// Counts a write about to be queued (and installs the exit handler once).
    static func begin() {
        _ = exitHandler
        group.enter()
    }

    /// Counts a queued write as finished, whatever its result.
    static func end() { group.leave() }

    /// Waits until every queued write has finished; false when `timeout` passed first.
    @discardableResult
    public static func drain(timeout: DispatchTimeInterval = exitWait) -> Bool {
        group.wait(timeout: .now() + timeout) == .success
    }
}
