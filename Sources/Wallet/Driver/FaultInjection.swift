import Foundation
import Ledger

/// Debug builds only: `PURSE_FAULT_KILL_AT=reserved|signed|sent|answered` SIGKILLs the process at
/// that step of a payment, so the fault tests can check that reconcile recovers from a crash
/// anywhere. Release builds have no such hook.
///
/// The ledger writes queued before the point (a sent mark that trails the send) finish first, so
/// that each point is the state after its step; a crash before a queued mark lands leaves the
/// row `reserved`, the state the `signed` point already leaves for reconcile.
enum FaultInjection {
    #if DEBUG
    static let step = ProcessInfo.processInfo.environment["PURSE_FAULT_KILL_AT"]
    static func point(_ name: String) {
        guard step == name else { return }
        QueuedLedgerWrites.drain()
        kill(getpid(), SIGKILL)
    }
    #else
    @inline(__always) static func point(_ name: String) {}
    #endif
}
