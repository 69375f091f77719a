// Purse — Solana module (pure).

extension SolanaMessageV0 {
    /// Every top-level `TransferChecked` of the message, in order.
    public var transfersChecked: [SolanaTransferChecked] {
        instructions.compactMap { SolanaTransferChecked($0, in: self) }
    }
}
