/// A 32-byte authorization nonce: EIP-3009's `bytes32 nonce`, or a Permit2 `uint256` nonce as its 32
/// big-endian bytes.
///
/// Chosen once per payment from the system's CSPRNG and stored in the ledger row before
/// anything is signed: reconcile asks the chain whether exactly this nonce was used, so it must
/// never be re-encoded on its way from the plan to the signature.
public struct Nonce32: Bytes32Value, Codable {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Made by `init(bytes:)` and `init(hex:)` (`Bytes32Value`), which check the length.
    public init(_ checked: CheckedBytes32) {
        bytes = checked.bytes
    }

    /// Decodes `0x` and 64 hex digits.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Nonce32(hex: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes `0x` and 64 lower-case hex digits.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
