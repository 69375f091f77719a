/// Conditions on a payment's status, as SQL both backends accept, spelled as equalities:
/// `status = 'sent'`, or `(status = 'reserved' OR status = 'sent' OR status = 'unknown')`.
///
/// Why not `status IN (...)`: SQLite evaluates an `IN` list of three or more constants by
/// building a temporary b-tree of them, a pager of its own with its allocations, every time the
/// expression runs. The budget totals' triggers, the open-rows partial index and a status
/// change's guard made about fifteen per paid request; in `serve` their allocations contended
/// for the heap's lock with the thread answering the client. A chain of equalities is a few
/// comparisons. PostgreSQL reads both spellings as the same set (a partial index stated one way
/// serves a query stated the other).
enum PaymentStatusSQL {
    /// True when `column` holds one of `statuses` (false for none).
    static func isOneOf(_ statuses: some Sequence<PaymentStatus>, column: String = "status") -> String {
        chain(statuses, column: column, comparison: "=", joiner: "OR", whenEmpty: "false")
    }

    /// True when `column` holds none of `statuses` (true for none).
    static func isNoneOf(_ statuses: some Sequence<PaymentStatus>, column: String = "status") -> String {
        chain(statuses, column: column, comparison: "<>", joiner: "AND", whenEmpty: "true")
    }

    /// `column <comparison> 'status'` for each status, joined by `joiner` (in parentheses when
    /// there are several).
    private static func chain(_ statuses: some Sequence<PaymentStatus>, column: String, comparison: String, joiner: String,
                              whenEmpty: String) -> String {
        let terms = ordered(statuses).map { "\(column) \(comparison) '\($0.rawValue)'" }
        switch terms.count {
        case 0: return whenEmpty
        case 1: return terms[0]
        default: return "(" + terms.joined(separator: " \(joiner) ") + ")"
        }
    }

    /// The statuses in `PaymentStatus.allCases` order, once each: the same SQL text every time,
    /// as a partial index and the queries it serves must state their condition alike.
    private static func ordered(_ statuses: some Sequence<PaymentStatus>) -> [PaymentStatus] {
        let set = Set(statuses)
        return PaymentStatus.allCases.filter(set.contains)
    }
}
