// Purse — PurseCore (pure).

/// Exactly 32 bytes, as `Bytes32Value`'s initializers checked them.
///
/// Why a type: a `Bytes32Value` is made from one of these, and only this module can make one,
/// so a caller elsewhere cannot wrap bytes of another length by skipping the check.
public struct CheckedBytes32: Sendable {
    let bytes: [UInt8]

    /// For `Bytes32Value`'s initializers, after their length check.
    init(_ bytes: [UInt8]) {
        precondition(bytes.count == 32, "CheckedBytes32 is made only after the length check")
        self.bytes = bytes
    }
}
