/// The payment table's indexes since SQLite's migration `v9` and PostgreSQL's `v3`, as SQL both
/// accept: one definition, so the two backends cannot drift apart in what their queries can
/// rely on.
///
/// Why these: the budget reads running totals (`BudgetTotalsSQL`), so no index needs to cover
/// `micros`, and an index holding `status` made every status change rewrite it. What the queries
/// still need is time and session look-ups, and partial indexes for what reconcile and sign-in
/// read: the open rows, failed rows, a wallet's settled payments of a resource, and reconcile's
/// claims (NULL for every other row). A partial index serves a query only when the query states
/// its condition, so the queries use `openRows` rather than their own wording of it.
enum PaymentIndexSQL {
    /// The rows not yet resolved, as the partial index `payment_open` states them (equalities,
    /// `PaymentStatusSQL`; SQLite's migration v10 restated the index so, and PostgreSQL's index of
    /// v3, stated with `IN`, serves this spelling as well).
    static let openRows = PaymentStatusSQL.isOneOf([.reserved, .sent, .unknown])

    /// The open rows' index, on its own for SQLite's migration v10, which restated it.
    static let createOpen = "CREATE INDEX payment_open ON payment (created_at) WHERE \(openRows);"

    /// The statements that create the indexes (after the migration dropped the older ones).
    static let create = """
        CREATE INDEX payment_created_at ON payment (created_at);
        CREATE INDEX payment_session_id ON payment (session_id);
        \(createOpen)
        CREATE INDEX payment_failed ON payment (created_at) WHERE status = 'failed';
        CREATE INDEX payment_paid_resource ON payment (resource, payer) WHERE status = 'settled';
        CREATE INDEX payment_claimed ON payment (claimed_by) WHERE claimed_by IS NOT NULL;
        """
}
