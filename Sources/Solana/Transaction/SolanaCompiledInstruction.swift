// Purse — Solana module (pure).

/// An instruction inside a message: the program and accounts as indices into the message's keys.
public struct SolanaCompiledInstruction: Sendable, Hashable {
    /// Index of the program in the account keys.
    public var programIdIndex: UInt8
    /// Indices of the accounts in the account keys.
    public var accounts: [UInt8]
    /// The instruction data.
    public var data: [UInt8]

    /// Creates a compiled instruction.
    public init(programIdIndex: UInt8, accounts: [UInt8], data: [UInt8]) {
        self.programIdIndex = programIdIndex
        self.accounts = accounts
        self.data = data
    }
}
