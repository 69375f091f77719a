import ChainRPC
import EVM
import HTTP
import PurseCore
import Solana
import SolanaRPC
import X402

/// Reads the wallet's on-chain token balances on the allowed networks: `eth_call balanceOf` on
/// EVM; on Solana the mint's program (`getAccountInfo`), then the wallet's associated token
/// account (0 when it does not exist yet).
public struct BalanceReader: Sendable {
    /// One token balance.
    public struct Balance: Sendable, Equatable {
        public let network: String
        public let asset: String
        public let symbol: String
        public let decimals: Int
        /// The balance in atomic units, as decimal digits (it may exceed 64 bits).
        public let atomic: String
        /// The balance for humans, such as `99.99`.
        public let amount: String
    }

    /// A balance that could not be read (RPC down, or no token contract at that address).
    public struct Failure: Sendable, Equatable {
        public let network: String
        /// The token, or nil when the whole network failed (no RPC configured).
        public let asset: String?
        public let error: String
    }

    let config: PurseConfig
    let http: any HTTPClient
    /// The address whose balances are read.
    public let address: String
    /// The Solana account whose balances are read, when the wallet has a Solana key.
    public let solanaAddress: SolanaAddress?

    /// Creates a reader.
    public init(config: PurseConfig, http: any HTTPClient, address: String, solanaAddress: SolanaAddress? = nil) {
        self.config = config
        self.http = http
        self.address = address
        self.solanaAddress = solanaAddress
    }

    /// Reads every allowed asset on every allowed network, or on `network` only.
    public func read(network: String? = nil) async -> (balances: [Balance], failures: [Failure]) {
        var balances = [Balance]()
        var failures = [Failure]()
        let assets = config.allowedAssets.filter { network == nil || $0.network == network }
        for net in Set(assets.map(\.network)).sorted() {
            guard let url = config.rpcURL(network: net) else {
                failures.append(Failure(network: net, asset: nil, error: "no rpcUrl configured"))
                continue
            }
            if Network.parse(net)?.family == .solana {
                guard let owner = solanaAddress.flatMap({ try? SolanaPublicKey(bytes: $0.bytes) }) else {
                    failures.append(Failure(network: net, asset: nil, error: "no Solana key (key.solana or PURSE_SOLANA_KEY)"))
                    continue
                }
                let rpc = SolanaRPCClient(url: url, http: http)
                for a in assets where a.network == net {
                    guard let mint = try? SolanaPublicKey(base58: a.address) else {
                        failures.append(Failure(network: net, asset: a.address, error: "not a Solana mint address"))
                        continue
                    }
                    do throws(SolanaRPCError) {
                        let program = try await rpc.getMint(mint).tokenProgram
                        let atomic = try await rpc.tokenBalance(owner: owner, mint: mint, tokenProgram: program)
                        let amount = Int64(exactly: atomic).map { AmountText.decimal(atomic: $0, decimals: a.decimals) } ?? "\(atomic) (atomic)"
                        balances.append(Balance(network: net, asset: a.address, symbol: a.symbol, decimals: a.decimals, atomic: String(atomic), amount: amount))
                    } catch {
                        failures.append(Failure(network: net, asset: a.address, error: error.message))
                    }
                }
                continue
            }
            let rpc = ChainRPCClient(url: url, http: http)
            for a in assets where a.network == net {
                do {
                    let atomic = try await rpc.balanceOf(token: a.address, owner: address)
                    let digits = atomic.decimalString
                    let amount = atomic.uint64Value.flatMap { Int64(exactly: $0) }
                        .map { AmountText.decimal(atomic: $0, decimals: a.decimals) } ?? digits + " (atomic)"
                    balances.append(Balance(network: net, asset: a.address, symbol: a.symbol, decimals: a.decimals, atomic: digits, amount: amount))
                } catch {
                    failures.append(Failure(network: net, asset: a.address, error: "\(error)"))
                }
            }
        }
        return (balances, failures)
    }
}
