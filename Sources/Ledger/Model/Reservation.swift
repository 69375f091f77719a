import PurseCore

/// A reservation as `PaymentLedger.reserveWithUsage` made it: the row, and what the budget check
/// saw when it allowed it.
///
/// The usage lets the caller say what is left after the payment without a second read of the
/// ledger on the payment's critical path: the sums were read inside the reservation's own
/// transaction, so they are exact at that instant.
public struct Reservation: Sendable, Equatable {
    /// The reserved row (status `reserved`), committed and durable.
    public var record: PaymentRecord
    /// The usage sums before this payment, as the reservation's budget check read them; nil when
    /// the backend decided without reading them into the process (PostgreSQL compares its
    /// running totals with the ceilings in SQL).
    public var usageBefore: BudgetUsage?

    /// Creates a reservation.
    public init(record: PaymentRecord, usageBefore: BudgetUsage?) {
        self.record = record
        self.usageBefore = usageBefore
    }
}
