/// How a `Ledger` opens and writes its SQLite file.
public struct LedgerOptions: Sendable, Equatable {
    /// How long, in seconds, one statement may wait for another connection's write lock before
    /// failing with `ledger.busy` (default 10).
    public var busyTimeout: Double = 10
    /// True (the default): a reservation, and every write that must be durable, is on disk before
    /// the call returns, so it survives power loss. The connection runs at `synchronous=NORMAL`
    /// once opened (FULL while it migrates) and those writes sync the log after their commit,
    /// outside the write lock (`WALSync`); the status changes after a reservation are not synced.
    /// False: nothing is synced by hand (faster; a crash of the OS may lose the last commits).
    public var synchronousFull: Bool = true
    /// Whether to run `PRAGMA quick_check` on the file (default true): it refuses a damaged file
    /// before a payment is written into it.
    public var quickCheckOnOpen: Bool = true
    /// Up to this size (the database's pages, `PRAGMA page_count`) the quick_check runs before
    /// the ledger opens; above it, in the background while the process starts, with reservations
    /// waiting for its verdict (`IntegrityCheck`). Default 2 MiB: quick_check reads every page,
    /// about 1 ms per MiB here, and `purse serve` must answer its first request within 20 ms
    /// however large the file is.
    public var quickCheckInlineMaxBytes: Int64 = 2 << 20

    /// Creates options; every argument has the documented default.
    public init(busyTimeout: Double = 10, synchronousFull: Bool = true, quickCheckOnOpen: Bool = true,
                quickCheckInlineMaxBytes: Int64 = 2 << 20) {
        self.busyTimeout = busyTimeout
        self.synchronousFull = synchronousFull
        self.quickCheckOnOpen = quickCheckOnOpen
        self.quickCheckInlineMaxBytes = quickCheckInlineMaxBytes
    }
}
