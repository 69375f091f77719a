// Purse — Solana module (pure).

/// An instruction before compilation: a program, the accounts it touches, and its data.
public struct SolanaInstruction: Sendable, Hashable {
    /// The program that runs the instruction.
    public var programId: SolanaPublicKey
    /// The accounts, in the order the program expects them.
    public var accounts: [SolanaAccountMeta]
    /// The instruction data, in the program's own encoding.
    public var data: [UInt8]

    /// Creates an instruction.
    public init(programId: SolanaPublicKey, accounts: [SolanaAccountMeta], data: [UInt8]) {
        self.programId = programId
        self.accounts = accounts
        self.data = data
    }
}
