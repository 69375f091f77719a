// Purse ChainRPC module: one event log from eth_getLogs.

/// One event log, as returned by `eth_getLogs`, with hex normalized to lower case.
public struct ChainLog: Sendable, Equatable {
    /// The emitting contract, `0x` and 40 lower-case hex digits.
    public var address: String
    /// The topics, each `0x` and 64 lower-case hex digits; topic 0 is the event signature hash.
    public var topics: [String]
    /// The non-indexed event data.
    public var data: [UInt8]
    /// The transaction hash, `0x` and 64 lower-case hex digits.
    public var transactionHash: String
    /// The block the log is in.
    public var blockNumber: UInt64
    /// The log's index in its block, when the node gave it.
    public var logIndex: UInt64?
    /// Whether the node reports the log as removed by a reorganisation.
    public var removed: Bool

    /// Creates a log.
    public init(
        address: String, topics: [String], data: [UInt8], transactionHash: String,
        blockNumber: UInt64, logIndex: UInt64? = nil, removed: Bool = false
    ) {
        self.address = address
        self.topics = topics
        self.data = data
        self.transactionHash = transactionHash
        self.blockNumber = blockNumber
        self.logIndex = logIndex
        self.removed = removed
    }
}
