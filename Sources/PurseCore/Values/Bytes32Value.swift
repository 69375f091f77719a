// Purse — PurseCore (pure).

/// A value that is exactly 32 bytes, written `0x` and 64 hex digits in the ledger: an
/// authorization nonce (`Nonce32`), a Solana message's digest (`SolanaMessageDigest`).
///
/// Why a protocol: each stays its own type, so that one can never be passed where the other is
/// meant, while the length check and the hex form, which the ledger and reconcile rely on being
/// the same for both, are written once.
public protocol Bytes32Value: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes.
    var bytes: [UInt8] { get }
    /// Wraps bytes whose count has been checked: only the initializers below make a
    /// `CheckedBytes32`, so no caller can skip the check.
    init(_ checked: CheckedBytes32)
}

extension Bytes32Value {
    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: `HexError.wrongLength` for any other count.
    public init(bytes: [UInt8]) throws(HexError) {
        guard bytes.count == 32 else { throw .wrongLength(expected: 32, actual: bytes.count) }
        self.init(CheckedBytes32(bytes))
    }

    /// Parses `0x` and 64 hex digits (as the ledger stores it).
    public init(hex: String) throws(HexError) {
        self.init(CheckedBytes32(try Hex.decode(hex, length: 32)))
    }

    /// `0x` and 64 lower-case hex digits.
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}
