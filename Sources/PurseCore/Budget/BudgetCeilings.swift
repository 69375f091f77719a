/// The most each budget sum may already hold for one payment to fit: `BudgetCheck`'s decision
/// turned around, so that a database can apply it inside the statement that inserts the
/// reservation (the PostgreSQL ledger does, to hold its budget lock for one statement rather
/// than a round trip), and `BudgetCheck.refusal` applies the very same comparisons in Swift.
///
/// A payment of `amount` fits under a cap when `spent + amount ≤ cap`, that is when
/// `spent ≤ cap − amount`: the ceiling. A cap below the amount leaves nothing that fits.
public struct BudgetCeilings: Sendable, Equatable {
    /// One window's ceiling.
    public enum Ceiling: Sendable, Equatable {
        /// No limit is set for the window.
        case unlimited
        /// The payment fits while the window's sum is at most this.
        case atMost(Micros)
        /// The cap is below the payment itself: it never fits.
        case nothingFits

        /// Whether a window that already holds `spent` admits the payment.
        public func admits(_ spent: Micros) -> Bool {
            switch self {
            case .unlimited: true
            case let .atMost(ceiling): spent <= ceiling
            case .nothingFits: false
            }
        }

        /// The ceiling as one integer for SQL: nil when unlimited, -1 when nothing fits (sums are
        /// never negative), else the ceiling.
        public var sqlBound: Int64? {
            switch self {
            case .unlimited: nil
            case let .atMost(ceiling): ceiling.value
            case .nothingFits: -1
            }
        }

        /// The ceiling under `cap` for a payment of `amount`.
        init(cap: Micros?, amount: Micros) {
            guard let cap else { self = .unlimited; return }
            guard amount.value >= 0 else { self = .atMost(cap); return } // Never produced: amounts are validated.
            self = cap.value >= amount.value ? .atMost(Micros(cap.value - amount.value)) : .nothingFits
        }
    }

    /// The session's total.
    public var session: Ceiling
    /// Every session's rolling 24 hours.
    public var daily: Ceiling
    /// The payee host's rolling 24 hours.
    public var hostDaily: Ceiling

    /// Creates ceilings.
    public init(session: Ceiling, daily: Ceiling, hostDaily: Ceiling) {
        self.session = session
        self.daily = daily
        self.hostDaily = hostDaily
    }
}
