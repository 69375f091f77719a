import Ledger

/// What the chain says about one payment's authorization.
public enum ProbeResult: Sendable, Equatable {
    /// Not used (yet): it may still be, until it expires.
    case unused
    /// Used, by `transaction` when it could be found; `charge` is what it moved when the row is
    /// charged its actual amount (`upto`) and the transfer could be read.
    case used(transaction: String?, charge: SettledCharge?)
}
