/// How a `Ledger` opens and writes its SQLite file.
public struct LedgerOptions: Sendable, Equatable {
    /// How long, in seconds, one statement may wait for another connection's write lock before
    /// failing with `ledger.busy` (default 10).
    public var busyTimeout: Double = 10
    /// `PRAGMA synchronous = FULL` when true (the default: a committed reservation survives power
    /// loss), `NORMAL` when false (faster; a crash of the OS may lose the last commits).
    public var synchronousFull: Bool = true
    /// Whether to run `PRAGMA quick_check` when opening (default true; milliseconds on a ledger of
    /// thousands of rows, and it refuses a damaged file before a payment is written into it).
    public var quickCheckOnOpen: Bool = true

    /// Creates options; every argument has the documented default.
    public init(busyTimeout: Double = 10, synchronousFull: Bool = true, quickCheckOnOpen: Bool = true) {
        self.busyTimeout = busyTimeout
        self.synchronousFull = synchronousFull
        self.quickCheckOnOpen = quickCheckOnOpen
    }
}
