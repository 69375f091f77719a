import PurseCore

/// How a payment ended, as the write that records it on its row after the paid send: one of the
/// `mark…` transitions, as a value.
///
/// Why a value: the wallet can then hand the write to the ledger to run later, behind its caller
/// (`PaymentLedger.recordQueued`), instead of making the answer wait for it; or run it now
/// (`PaymentLedger.record`). Either way the same transition runs with the same checks.
public enum OutcomeWrite: Sendable, Equatable {
    /// `sent | unknown → settled`; with `charge` (`upto`), at the amount actually charged.
    case settled(txHash: String?, httpStatus: Int?, receipt: String?, charge: SettledCharge?)
    /// `reserved | sent | unknown → failed`: released, not charged.
    case failed(error: String, httpStatus: Int?)
    /// `sent → unknown`: kept counting until reconcile resolves it.
    case unknown(error: String, httpStatus: Int?, txHash: String?)

    /// The status the row ends in.
    public var status: PaymentStatus {
        switch self {
        case .settled: .settled
        case .failed: .failed
        case .unknown: .unknown
        }
    }
}
