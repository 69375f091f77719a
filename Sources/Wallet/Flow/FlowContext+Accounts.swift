import PurseCore

extension FlowContext {
    /// The wallet's paying account on a chain family, when it has one there.
    ///
    /// The flow's one place that maps a family to a key: a wallet with a Solana key adds its
    /// account here.
    public func payerAccount(_ family: ChainFamily) -> ChainAccount? {
        switch family {
        case .evm: .evm(payer)
        case .solana: nil
        }
    }
}
