import PurseCore

/// Why `Ledger.reserve` did not reserve: a budget said no, or the ledger failed.
public enum LedgerReserveError: CodedError, Equatable {
    /// A limit would be broken; nothing was written.
    case refused(BudgetRefusal)
    /// The ledger itself failed; nothing was written.
    case ledger(LedgerError)

    public var code: String {
        switch self {
        case let .refused(r): r.code
        case let .ledger(e): e.code
        }
    }

    public var message: String {
        switch self {
        case let .refused(r): r.message
        case let .ledger(e): e.message
        }
    }

    /// The refusal, when a budget said no.
    public var refusal: BudgetRefusal? {
        if case let .refused(r) = self { return r }
        return nil
    }
}
