// Purse — Solana module (pure).
// The programs an x402 `exact` payment touches, at their fixed addresses (the same on every cluster).

extension SolanaPublicKey {
    /// The SPL Token program.
    public static let tokenProgram = SolanaPublicKey(known: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    /// The Token-2022 program (SPL Token with extensions).
    public static let token2022Program = SolanaPublicKey(known: "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
    /// The Associated Token Account program, under which every ATA is derived.
    public static let associatedTokenProgram = SolanaPublicKey(known: "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
    /// The Compute Budget program (compute-unit limit and price).
    public static let computeBudgetProgram = SolanaPublicKey(known: "ComputeBudget111111111111111111111111111111")
    /// The SPL Memo program (v2), which x402 uses to make each payment transaction unique.
    public static let memoProgram = SolanaPublicKey(known: "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
    /// The System program (all zero bytes).
    public static let systemProgram = SolanaPublicKey(known: "11111111111111111111111111111111")
}
