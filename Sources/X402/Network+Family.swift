import PurseCore

extension Network {
    /// The chain family of a CAIP-2 namespace Purse knows (`eip155`, `solana`), else nil.
    public var family: ChainFamily? {
        if isEVM { return .evm }
        if caip2.hasPrefix("solana:") { return .solana }
        return nil
    }
}
