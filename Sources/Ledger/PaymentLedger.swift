import Foundation
import PurseCore

/// The payment ledger as the wallet sees it: sessions, budget-checked reservations, status
/// transitions and the queries behind spend-log, budget and reconcile.
///
/// Every backend gives the same guarantees:
/// - `reserve` is atomic across every process (and machine) sharing the ledger: it computes the
///   usage sums and calls `BudgetCheck` inside one transaction that sees every committed spend,
///   and the row is durable before it returns, so nothing is ever signed without it;
/// - rows move `reserved → sent → settled | failed | unknown` (and only reconcile moves a row
///   on the chain's word); `reserved`, `sent` and `unknown` rows count against every budget;
/// - time is passed in, so tests control the windows.
///
/// Calls block (disk or network); async callers run them off the cooperative pool
/// (`LedgerWork.run`).
public protocol PaymentLedger: Sendable {
    /// Where the ledger lives, for messages (a file path or a redacted URL).
    var location: String { get }

    // MARK: Sessions

    /// Starts a session (machine and process recorded) and stores it.
    func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord
    /// Records the MCP client's name for a session.
    func setClientName(sessionID: String, name: String) throws(LedgerError)
    /// Every session, most recently started first.
    func sessions() throws(LedgerError) -> [SessionRecord]

    // MARK: Reservation

    /// Reserves a payment against every limit, or refuses; the row is committed and durable
    /// before this returns. Also returns the usage the check saw, when the backend read it.
    ///
    /// - Throws: `.refused` with the first limit that would break (nothing written), or `.ledger`.
    ///   `reserve(_:limits:now:)` is the same call without the usage.
    func reserveWithUsage(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation

    /// What counts against the session, the rolling 24 hours and the hosts' rolling 24 hours:
    /// the same sums `reserve` checks, read without reserving. With `host`, that host is
    /// included (even at 0); with `allHosts`, every host seen in the window.
    func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage

    // MARK: Transitions

    /// `reserved → sent`: the signed authorization is about to leave; `signedPayload` keeps the
    /// exact payload (compact JSON text) that every send of this payment carries. `durable`: on
    /// disk before this returns, for a payment that reconcile can only find through that payload
    /// (otherwise the mark may trail: a lost one leaves the row `reserved`, which reconcile
    /// resolves from the authorization's nonce).
    func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError)
    /// `reserved → sent` (not durable) without the caller waiting: queued like `recordQueued`,
    /// behind every call this ledger object received before it and ahead of every later one, so
    /// the outcome's write still follows it. True when queued; false when the backend cannot
    /// queue (the caller then marks with `markSent`).
    ///
    /// Why: the mark need not delay the paid send. The reservation already holds the nonce and
    /// the validity window and counts against every budget, so a mark lost to a crash (or to a
    /// failed write, reported to `failed` on the ledger's thread) leaves the row `reserved`,
    /// which reconcile resolves from the nonce exactly as it resolves a `sent` row. Only a
    /// payment reconcile can find through its payload alone (`durable`) must mark first. The
    /// wallet queues the mark once the answer is in, right before the outcome's write: queued
    /// while the request was in flight, the write took a core from the seller on a 2-core
    /// machine and made the paid request slower, not faster (`PaymentDriver`).
    func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool
    /// Whether `markSentQueued` and `recordQueued` queue (SQLite) rather than return false
    /// (PostgreSQL): what the wallet asks before it lets a sent mark trail the send.
    var queuesWrites: Bool { get }
    /// Readies the backend, in the background, for a process that will go on paying
    /// (`purse serve`); returns at once. SQLite lengthens its write-ahead log ahead of the
    /// commits (`WALPreallocation`), so that no reservation's sync has to grow the file; a
    /// one-shot command does not call it, since it would wait for that work at exit.
    func prepareForPayments()
    /// `sent | unknown → settled`: the server confirmed the payment; `receipt` is the seller's
    /// signed receipt and how it was checked (JSON text), when there is one to keep.
    func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError)
    /// `reserved | sent | unknown → failed`: released, not charged.
    func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError)
    /// `sent → unknown`: no answer, or an ambiguous one (a 5xx, `settlement_pending`); the row
    /// keeps counting until reconcile resolves it. `txHash` is a transaction the server reported
    /// as broadcast but not confirmed.
    func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError)
    /// Reconcile only: the chain says the authorization was used, so any status but `settled`
    /// (including `failed`) becomes `settled`. The chain is the truth.
    func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError)

    /// `sent | unknown → settled` for a payment whose charge is known only at settlement
    /// (`upto`): in the same transaction the row's amount becomes `charge`, which frees the rest
    /// of the reserved maximum at once. The signed maximum stays (`maxAmountAtomic`); `receipt` is
    /// kept as for `markSettled(id:txHash:httpStatus:receipt:now:)`.
    ///
    /// - Throws: `.badAmount` when `charge` exceeds the reserved amount (the maximum), or is negative.
    func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError)
    /// Reconcile only: the chain's transfer says what a payment moved. Any status (`settled`
    /// included, to replace a receipt's or the maximum's word) becomes `settled` at `charge`.
    ///
    /// - Throws: `.badAmount` when `charge` exceeds the reserved maximum, or is negative.
    func markSettledByChain(id: Int64, charge: SettledCharge, txHash: String?, now: Date) throws(LedgerError)

    /// Queues `outcome`'s write to row `id` and returns at once, without waiting for it, when
    /// the backend can; returns false, writing nothing, when it cannot (the caller then makes the
    /// write itself with `record`).
    ///
    /// Why: the settled (or failed, unknown) mark after a paid send need not delay the answer.
    /// Ordering and crash safety stay: a queued write runs after every call this ledger object
    /// received before it and before every call it receives after it (so this process reads its
    /// own writes), and the process waits for queued writes before it exits
    /// (`QueuedLedgerWrites`). If the process dies first, the row stays `sent` (or `reserved`,
    /// when its sent mark was queued too: `markSentQueued`) and keeps counting until reconcile
    /// resolves it from the chain, as after any crash; another process may, for a moment, see
    /// it so, which counts against every budget as `settled` does. `failed` is called, on the
    /// ledger's thread, when the write fails.
    func recordQueued(_ outcome: OutcomeWrite, id: Int64, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool

    // MARK: Queries

    /// `settled` rows whose charge is counted at the signed maximum because the receipt gave no
    /// usable amount (`amountSource == .maximum`), oldest first: reconcile reads their transfers.
    func unconfirmedCharges() throws(LedgerError) -> [PaymentRecord]

    /// Rows not yet resolved (`reserved`, `sent`, `unknown`), oldest first: the reconcile worklist.
    func unresolved() throws(LedgerError) -> [PaymentRecord]
    /// Claims the unresolved rows that no other reconcile holds, oldest first, for `lease`
    /// seconds: reconcile runs on several machines at once without handling a row twice. A claim
    /// ends with `releaseClaims` or when its lease runs out (a reconcile that died).
    /// PostgreSQL picks the rows with `FOR UPDATE SKIP LOCKED`; SQLite in its write transaction.
    func claimUnresolved(claimant: String, lease: TimeInterval, now: Date) throws(LedgerError) -> [PaymentRecord]
    /// Ends every claim `claimant` holds.
    func releaseClaims(claimant: String) throws(LedgerError)
    /// `failed` rows whose authorization could still be used on chain (`validBefore` later
    /// than `notBefore`, Unix seconds): reconcile re-checks them.
    func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord]
    /// The latest `settled` payment of `payer` for `resource` (`origin + path`), or nil: whether
    /// this wallet already paid a resource that now offers a sign-in.
    func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord?
    /// One payment by id, or nil.
    func payment(id: Int64) throws(LedgerError) -> PaymentRecord?
    /// Payments matching the filter, newest first.
    func payments(_ filter: PaymentFilter) throws(LedgerError) -> [PaymentRecord]

    // MARK: Health

    /// Checks the ledger for `purse doctor`: schema version, the backend's full integrity check,
    /// and an empty write transaction (proving the lock can be taken). Writes no row.
    ///
    /// - Throws: only when the ledger cannot be reached at all; a failed check is reported in
    ///   the result.
    func health() throws(LedgerError) -> LedgerHealth

    /// Deletes the running totals of minutes a week older than the newest
    /// (`BudgetTotalsSQL.keptMinutes`), which no budget reads; returns how many went. Reconcile
    /// calls it after each pass, so the totals stay a week long.
    func pruneBudgetTotals() throws(LedgerError) -> Int

    // MARK: Terminal approvals

    /// Files a payment for the human to approve from the terminal (`purse approve ID`); the row
    /// is committed before this returns, so another process (the CLI) sees it at once.
    func createApproval(_ approval: NewApproval, now: Date) throws(LedgerError) -> ApprovalRecord
    /// One approval by id, or nil.
    func approval(id: String) throws(LedgerError) -> ApprovalRecord?
    /// Approvals newest first: with `pendingOnly`, those still waiting for the human at `now`
    /// (pending and not expired).
    func approvals(pendingOnly: Bool, now: Date, limit: Int?) throws(LedgerError) -> [ApprovalRecord]
    /// The human's answer: `pending → approved | denied`, or `approved → denied` (withdrawn
    /// before use). Approving an approved one again changes nothing.
    ///
    /// - Throws: `.unknown`, `.expired`, `.used`, `.denied` (approving a denied one), `.ledger`.
    func decideApproval(id: String, approve: Bool, now: Date) throws(ApprovalError) -> ApprovalRecord
    /// Uses an approval for one payment, atomically: it must be approved, not expired at `now`,
    /// never used, and `payment` must be within its terms (`ApprovalTerms.mismatch`). On success
    /// it is `used` (with `reference`, the payment's authorization reference) and no other call can use it.
    ///
    /// - Throws: `.unknown`, `.pending`, `.denied`, `.expired`, `.used`, `.mismatch`, `.ledger`;
    ///   a refused use changes nothing.
    func useApproval(id: String, payment: ApprovalTerms, reference: AuthorizationReference, now: Date) throws(ApprovalError) -> ApprovalRecord
}

extension PaymentLedger {
    /// Reserves a payment (`reserveWithUsage`) and returns only the row.
    public func reserve(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> PaymentRecord {
        try reserveWithUsage(payment, limits: limits, now: now).record
    }

    /// The session with this id, or nil.
    public func session(id: String) throws(LedgerError) -> SessionRecord? {
        try sessions().first { $0.id == id }
    }

    /// `reserved → sent`, keeping no payload.
    public func markSent(id: Int64, now: Date) throws(LedgerError) {
        try markSent(id: id, signedPayload: nil, durable: false, now: now)
    }

    /// `reserved → sent`, keeping `signedPayload`, not necessarily on disk yet.
    public func markSent(id: Int64, signedPayload: String?, now: Date) throws(LedgerError) {
        try markSent(id: id, signedPayload: signedPayload, durable: false, now: now)
    }

    /// `sent | unknown → settled`, keeping no receipt.
    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, now: Date) throws(LedgerError) {
        try markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: nil, now: now)
    }

    /// `sent | unknown → settled` at `charge`, keeping no receipt.
    public func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, now: Date) throws(LedgerError) {
        try markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: nil, now: now)
    }

    /// `sent → unknown`, with no transaction known.
    public func markUnknown(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try markUnknown(id: id, error: error, httpStatus: httpStatus, txHash: nil, now: now)
    }

    /// Writes `outcome` to row `id` now: the `mark…` transition it names.
    public func record(_ outcome: OutcomeWrite, id: Int64, now: Date) throws(LedgerError) {
        switch outcome {
        case let .settled(txHash, httpStatus, receipt, charge?):
            try markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        case let .settled(txHash, httpStatus, receipt, nil):
            try markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        case let .failed(error, httpStatus):
            try markFailed(id: id, error: error, httpStatus: httpStatus, now: now)
        case let .unknown(error, httpStatus, txHash):
            try markUnknown(id: id, error: error, httpStatus: httpStatus, txHash: txHash, now: now)
        }
    }

    /// A backend queues nothing unless it says so.
    public var queuesWrites: Bool { false }

    /// A backend with nothing to ready does nothing.
    public func prepareForPayments() {}

    /// A backend that cannot queue writes says so; its callers mark with `markSent`.
    public func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        false
    }

    /// A backend that cannot queue writes says so; its callers write with `record`.
    public func recordQueued(_ outcome: OutcomeWrite, id: Int64, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        false
    }
}
