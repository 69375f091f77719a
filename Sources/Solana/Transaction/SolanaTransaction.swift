// Purse — Solana module (pure).

import PurseCore

/// A versioned Solana transaction: one signature slot per required signer, then the v0 message.
///
/// An x402 `exact` payment travels partially signed: slot 0 (the facilitator's fee payer) holds
/// 64 zero bytes until the facilitator signs, slot 1 holds the payer's signature.
public struct SolanaTransaction: Sendable, Hashable {
    /// One signature per required signer, in the order of the message's first keys.
    public var signatures: [SolanaSignature]
    /// The message they sign.
    public var message: SolanaMessageV0

    /// The most bytes a serialized transaction may have (`PACKET_DATA_SIZE`: an IPv6 MTU minus headers).
    public static let maxSize = 1232

    /// Creates a transaction with every signature slot empty.
    public init(unsigned message: SolanaMessageV0) {
        self.message = message
        self.signatures = Array(repeating: .empty, count: Int(message.header.numRequiredSignatures))
    }

    /// Creates a transaction from its parts as they are.
    public init(signatures: [SolanaSignature], message: SolanaMessageV0) {
        self.signatures = signatures
        self.message = message
    }

    /// Puts `keypair`'s signature of the message into that signer's slot.
    ///
    /// - Throws: `SolanaTransactionError.malformed` when the key is not among the message's signers.
    public mutating func sign(with keypair: SolanaKeypair) throws(SolanaTransactionError) {
        let signers = message.accountKeys.prefix(Int(message.header.numRequiredSignatures))
        guard let slot = signers.firstIndex(of: keypair.publicKey) else {
            throw .malformed("\(keypair.publicKey) is not a signer of this message")
        }
        signatures[slot] = keypair.sign(message.serialized())
    }

    /// The wire bytes: the signature count, the signatures, then the message.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        CompactU16.encode(signatures.count, into: &out)
        for signature in signatures { out += signature.bytes }
        out += message.serialized()
        return out
    }

    /// The wire bytes in standard base64: the x402 payload's `transaction`.
    public var base64: String { Base64.encode(serialized()) }

    /// Reads a transaction from its wire bytes.
    ///
    /// - Throws: `SolanaTransactionError.malformed` (bad layout, trailing bytes, a signature count
    ///   other than the header's), `.unsupportedVersion` for a legacy or non-v0 message, or
    ///   `.tooLarge` past 1232 bytes.
    public init(serialized bytes: [UInt8]) throws(SolanaTransactionError) {
        guard bytes.count <= Self.maxSize else { throw .tooLarge(bytes.count) }
        var offset = 0
        let count = try CompactU16.decode(bytes, at: &offset)
        guard offset + 64 * count <= bytes.count else { throw .malformed("truncated signatures") }
        var signatures: [SolanaSignature] = []
        for i in 0..<count {
            signatures.append(SolanaSignature(unchecked: Array(bytes[offset + 64 * i..<offset + 64 * (i + 1)])))
        }
        offset += 64 * count
        let message = try SolanaMessageV0.parse(bytes, at: &offset)
        guard offset == bytes.count else { throw .malformed("\(bytes.count - offset) bytes after the message") }
        guard count == Int(message.header.numRequiredSignatures) else {
            throw .malformed("\(count) signatures for \(message.header.numRequiredSignatures) required signers")
        }
        self.init(signatures: signatures, message: message)
    }

    /// Reads a transaction from standard base64.
    ///
    /// - Throws: `SolanaTransactionError.malformed` for bad base64, else as `init(serialized:)`.
    public init(base64 text: String) throws(SolanaTransactionError) {
        let bytes: [UInt8]
        do { bytes = try Base64.decode(text) } catch { throw .malformed("base64: \(error.message)") }
        try self.init(serialized: bytes)
    }
}
