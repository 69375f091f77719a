// Purse — Solana module (pure).
// The four instructions of an x402 `exact` payment, encoded as their programs define them.

extension SolanaInstruction {
    /// Compute Budget `SetComputeUnitLimit` (discriminator 2, u32 little-endian): the most
    /// compute units the transaction may use.
    public static func setComputeUnitLimit(_ units: UInt32) -> SolanaInstruction {
        SolanaInstruction(programId: .computeBudgetProgram, accounts: [], data: [2] + littleEndian(UInt64(units), 4))
    }

    /// Compute Budget `SetComputeUnitPrice` (discriminator 3, u64 little-endian): the priority
    /// fee in micro-lamports per compute unit, paid by the fee payer.
    public static func setComputeUnitPrice(microLamports: UInt64) -> SolanaInstruction {
        SolanaInstruction(programId: .computeBudgetProgram, accounts: [], data: [3] + littleEndian(microLamports, 8))
    }

    /// Token `TransferChecked` (discriminator 12, u64 amount, u8 decimals), the same in SPL Token
    /// and Token-2022. The program checks the mint and its decimals, so a payment cannot be
    /// misread in another token or scale. Accounts: source (writable), mint, destination
    /// (writable), owner (signer).
    public static func transferChecked(
        tokenProgram: SolanaTokenProgram, source: SolanaPublicKey, mint: SolanaPublicKey, destination: SolanaPublicKey,
        owner: SolanaPublicKey, amount: UInt64, decimals: UInt8
    ) -> SolanaInstruction {
        SolanaInstruction(
            programId: tokenProgram.id,
            accounts: [
                SolanaAccountMeta(source, isSigner: false, isWritable: true),
                SolanaAccountMeta(mint, isSigner: false, isWritable: false),
                SolanaAccountMeta(destination, isSigner: false, isWritable: true),
                SolanaAccountMeta(owner, isSigner: true, isWritable: false),
            ],
            data: [SolanaTransferChecked.discriminator] + littleEndian(amount, 8) + [decimals])
    }

    /// SPL Memo with no signer accounts: the memo bytes (UTF-8) are the whole data.
    public static func memo(_ bytes: [UInt8]) -> SolanaInstruction {
        SolanaInstruction(programId: .memoProgram, accounts: [], data: bytes)
    }

    /// The low `count` bytes of `value`, least significant first.
    static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
