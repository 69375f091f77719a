// Purse ChainRPC module.

/// A mined transaction as reconcile needs it: its input (to find the signed nonce in it) and
/// the logs of its receipt (to read what it moved).
public struct ChainTransaction: Sendable, Equatable {
    /// The transaction hash, `0x` + 64 lower-case hex digits.
    public var hash: String
    /// The call data.
    public var input: [UInt8]
    /// Whether the receipt says it succeeded (`status` 1).
    public var succeeded: Bool
    /// The receipt's logs.
    public var logs: [ChainLog]

    /// Creates a transaction.
    public init(hash: String, input: [UInt8], succeeded: Bool, logs: [ChainLog]) {
        self.hash = hash
        self.input = input
        self.succeeded = succeeded
        self.logs = logs
    }
}
