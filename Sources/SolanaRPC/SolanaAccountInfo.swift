// Purse — SolanaRPC module (edge).

import Solana

/// An account as `getAccountInfo` reports it.
public struct SolanaAccountInfo: Sendable, Hashable {
    /// Its balance in lamports.
    public var lamports: UInt64
    /// The program that owns it (for a mint, SPL Token or Token-2022).
    public var owner: SolanaPublicKey
    /// Its data.
    public var data: [UInt8]
    /// Whether it holds a program.
    public var executable: Bool

    /// Creates an account description.
    public init(lamports: UInt64, owner: SolanaPublicKey, data: [UInt8], executable: Bool) {
        self.lamports = lamports
        self.owner = owner
        self.data = data
        self.executable = executable
    }
}
