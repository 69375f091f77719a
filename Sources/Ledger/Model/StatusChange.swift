/// The status changes a ledger makes after the reservation, and the statuses each may start
/// from: the one table of legal moves that every backend enforces inside its transaction.
///
/// - `sent`: only a reservation leaves (`reserved → sent`).
/// - `settled` (the server's word): from `sent` or `unknown`.
/// - `failed` (released): anything not yet final.
/// - `unknown`: only a payment that left.
/// - `settledByChain` (reconcile found the transfer): also a released row, because the chain's
///   word beats the one Purse wrote when it gave up.
/// - `chargedByChain` (reconcile replaces an amount with the one the chain moved): any row,
///   settled ones included.
enum StatusChange: Sendable, Equatable, CaseIterable {
    case sent, settled, failed, unknown, settledByChain, chargedByChain

    /// The status a row ends in.
    var target: PaymentStatus {
        switch self {
        case .sent: .sent
        case .settled, .settledByChain, .chargedByChain: .settled
        case .failed: .failed
        case .unknown: .unknown
        }
    }

    /// The statuses a row may be in for this change.
    var sources: Set<PaymentStatus> {
        switch self {
        case .sent: [.reserved]
        case .settled: [.sent, .unknown]
        case .failed: [.reserved, .sent, .unknown]
        case .unknown: [.sent]
        case .settledByChain: [.reserved, .sent, .unknown, .failed]
        case .chargedByChain: Set(PaymentStatus.allCases)
        }
    }
}
