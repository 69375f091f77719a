// Purse — Solana module (pure).

import PurseCore

/// Associated token accounts: the one token account per (owner, mint, token program) that
/// wallets and the x402 `exact` scheme pay from and to.
public enum SolanaAssociatedTokenAccount {
    /// The ATA of `owner` for `mint` under `tokenProgram`: the program address found from the
    /// seeds `[owner, tokenProgram, mint]` under the Associated Token Account program.
    ///
    /// The token program is part of the seeds, so the same owner and mint give different accounts
    /// under SPL Token and Token-2022; read the mint's owner from the chain before deriving.
    public static func address(owner: SolanaPublicKey, mint: SolanaPublicKey, tokenProgram: SolanaTokenProgram) -> SolanaPublicKey {
        derive(owner: owner, mint: mint, tokenProgram: tokenProgram).address
    }

    /// The ATA and its bump seed.
    public static func derive(owner: SolanaPublicKey, mint: SolanaPublicKey, tokenProgram: SolanaTokenProgram) -> SolanaProgramAddress {
        memo.value(for: Seeds(owner: owner, mint: mint, tokenProgram: tokenProgram)) { seeds in
            // Three 32-byte seeds are within every limit, and a viable bump exists with
            // overwhelming probability (each candidate is off the curve about half of the time).
            try! SolanaProgramAddress.find(seeds: [seeds.owner.bytes, seeds.tokenProgram.id.bytes, seeds.mint.bytes],
                                           programId: .associatedTokenProgram)
        }
    }

    /// The inputs of one derivation.
    private struct Seeds: Hashable {
        let owner: SolanaPublicKey
        let mint: SolanaPublicKey
        let tokenProgram: SolanaTokenProgram
    }

    /// Derivations already made. One payment needs the same two accounts (payer's and payee's)
    /// several times: planning, validating the planned message and rebuilding it to sign; each
    /// derivation is a search of SHA-256 candidates with a field square root per off-curve check.
    /// A process pays few distinct (owner, mint) pairs, so a small table that empties when full
    /// is enough.
    private static let memo = BoundedMemo<Seeds, SolanaProgramAddress>(capacity: 256)
}
