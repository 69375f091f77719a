import BlockingWork
import Dispatch

/// Runs blocking ledger calls (an fsync, a lock wait, a network round trip to PostgreSQL) on a
/// dispatch queue instead of Swift's cooperative pool.
///
/// On a 2-core machine the pool has two threads: a reservation waiting for another process's
/// lock would otherwise stall every task of the process, the MCP transport's included. A task
/// already on a thread that may block (`BlockingWorkers`) runs the call inline: no hand-off.
public enum LedgerWork {
    private static let queue = DispatchQueue(label: "purse.ledger", attributes: .concurrent)

    /// Runs `body` on the ledger queue (or inline, see above) and returns its result to the
    /// awaiting task.
    public static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        try await BlockingWorkers.blocking(handingOffTo: queue, body)
    }
}
