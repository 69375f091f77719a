import X402

/// How to put money in the wallet, for the last lines of `init` and the balance check of `doctor`.
public enum Funding {
    /// One sentence saying how to fund `address` on `network`.
    ///
    /// Testnets point at Circle's public faucet (faucet.circle.com: USDC on test networks, no
    /// account, the address pasted into a form; developers.circle.com/w3s/developer-console-faucet).
    /// No ETH is needed: the seller's facilitator pays the gas of an EIP-3009 transfer (and on
    /// Solana no SOL: the facilitator is the fee payer).
    public static func advice(network: String, address: String) -> String {
        let net = Network.parse(network)
        let name = net?.displayName ?? network
        if net?.isTestnet == true {
            let gas = net?.family == .solana ? "no SOL is needed, the facilitator pays the fee" : "no ETH is needed, the seller pays the gas"
            return "get test USDC for \(address) at https://faucet.circle.com (choose \(name)); \(gas)"
        }
        return "send USDC on \(name) to \(address) from an exchange or another wallet; this is a mainnet: real money"
    }
}
