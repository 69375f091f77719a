import PurseCore

extension FlowContext {
    /// The wallet's paying account on a chain family, when it has one there.
    ///
    /// The flow's one place that maps a family to a key: the EVM key always, the Solana key
    /// when the wallet has one.
    public func payerAccount(_ family: ChainFamily) -> ChainAccount? {
        switch family {
        case .evm: .evm(payer)
        case .solana: solanaPayer.map(ChainAccount.solana)
        }
    }
}
