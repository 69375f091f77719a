// Purse — Solana module (pure).

/// A token `TransferChecked` read back from a message: for checking what Purse is about to sign
/// and, after the fact, finding its payment in a confirmed transaction.
public struct SolanaTransferChecked: Sendable, Hashable {
    /// The token program that runs it.
    public var tokenProgram: SolanaTokenProgram
    /// The token account debited.
    public var source: SolanaPublicKey
    /// The mint.
    public var mint: SolanaPublicKey
    /// The token account credited.
    public var destination: SolanaPublicKey
    /// The owner (or delegate) of `source` who authorizes the transfer.
    public var authority: SolanaPublicKey
    /// The amount in atomic units.
    public var amount: UInt64
    /// The decimals the instruction claims for the mint (the program refuses a mismatch).
    public var decimals: UInt8

    /// The instruction's first data byte in both token programs.
    static let discriminator: UInt8 = 12

    /// Creates a transfer description.
    public init(
        tokenProgram: SolanaTokenProgram, source: SolanaPublicKey, mint: SolanaPublicKey, destination: SolanaPublicKey,
        authority: SolanaPublicKey, amount: UInt64, decimals: UInt8
    ) {
        self.tokenProgram = tokenProgram
        self.source = source
        self.mint = mint
        self.destination = destination
        self.authority = authority
        self.amount = amount
        self.decimals = decimals
    }

    /// Decodes a compiled instruction of `message`, or nil when it is not a `TransferChecked` of
    /// SPL Token or Token-2022 whose accounts are all static keys.
    ///
    /// Data must be exactly 10 bytes; extra accounts after the four (a multisig's signers) are
    /// allowed here, as the token program allows them.
    public init?(_ instruction: SolanaCompiledInstruction, in message: SolanaMessageV0) {
        guard let programKey = message.key(at: instruction.programIdIndex),
              let program = SolanaTokenProgram(id: programKey),
              instruction.data.count == 10, instruction.data[0] == Self.discriminator,
              instruction.accounts.count >= 4
        else { return nil }
        var keys: [SolanaPublicKey] = []
        for index in instruction.accounts.prefix(4) {
            guard let key = message.key(at: index) else { return nil }
            keys.append(key)
        }
        var amount: UInt64 = 0
        for byte in instruction.data[1..<9].reversed() { amount = amount << 8 | UInt64(byte) }
        self.init(
            tokenProgram: program, source: keys[0], mint: keys[1], destination: keys[2], authority: keys[3],
            amount: amount, decimals: instruction.data[9])
    }
}
