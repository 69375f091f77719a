/// Every column of a payment row but its id, and a record's values for them, in one order that
/// both backends write: the write side of the shared `PaymentRowDecoder`.
///
/// Why one list: SQLite inserts a reservation with one prepared statement and PostgreSQL with
/// another (and `ledger copy` with a third); a column added to one and forgotten in another
/// would store a payment without it, silently. Why positional values rather than GRDB's
/// record encoding: the SQLite insert runs inside the reservation's write lock, and GRDB's
/// `PersistenceContainer` (a dictionary per row, its SQL rebuilt and its statement looked up
/// per insert) cost about 30 µs there; bound by position (`DirectStatement`), a few.
enum PaymentColumns {
    /// The column names, in `values`' order.
    static let names = [
        "session_id", "created_at", "updated_at", "method", "url", "host", "network", "asset", "asset_symbol", "decimals",
        "pay_to", "amount_atomic", "micros", "scheme", "x402_version", "nonce", "valid_before", "status", "tx_hash", "payer",
        "error", "http_status", "payment_id", "resource", "offer", "signed_payload", "receipt", "authorization_kind",
        "max_amount_atomic", "amount_source", "amount_note",
    ]

    /// The values of `r` for `names`: text columns as text, integer columns (money, times,
    /// counts) as integers, absent optionals as NULL.
    static func values(_ r: PaymentRecord) -> [StoredValue] {
        let p = r.payment
        func text(_ s: String?) -> StoredValue { StoredValue(s) }
        func integer<I: BinaryInteger>(_ n: I?) -> StoredValue { StoredValue(n) }
        return [
            .text(p.sessionID), .integer(LedgerTime.millis(r.createdAt)), .integer(LedgerTime.millis(r.updatedAt)), .text(p.method),
            .text(p.url), .text(p.host.name), .text(p.network), .text(p.asset.text), .text(p.assetSymbol), integer(p.decimals),
            .text(p.payTo.text), .integer(p.amountAtomic), .integer(p.micros.value), .text(p.scheme), integer(p.x402Version),
            .text(p.authorization.value), .integer(p.validBefore), .text(r.status.rawValue), text(r.txHash), .text(p.payer.text),
            text(r.error), integer(r.httpStatus), text(p.paymentId), text(p.resource), text(p.offer), text(r.signedPayload),
            text(r.receipt), .text(p.authorization.kind), integer(p.maxAmountAtomic), text(r.amountSource?.rawValue),
            text(r.amountNote),
        ]
    }
}
