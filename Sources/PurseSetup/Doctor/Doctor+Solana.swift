import Foundation
import HTTP
import PurseCore
import Solana
import SolanaRPC
import Wallet
import X402

/// The Solana side of `purse doctor`: the Solana key when a Solana network is allowed, and for
/// each allowed Solana network the RPC (it answers, and serves the cluster the network id
/// names), each allowed mint (it exists, is a mint of SPL Token or Token-2022, and has the
/// decimals the config gives) and the wallet's balance of it.
extension Doctor {
    /// What one Solana network's checks found, for the funds verdict.
    struct SolanaNetworkOutcome {
        var answered = false
        var balanceRead = false
        var funds = false
    }

    /// The allowed Solana networks.
    static func solanaNetworks(_ config: PurseConfig) -> [String] {
        config.allowedNetworks.filter { Network.parse($0)?.family == .solana }
    }

    /// Whether the config names `network` itself (in `policy.allowNetworks` or `networks`),
    /// rather than allowing it by default.
    static func named(_ network: String, in config: PurseConfig) -> Bool {
        config.policy.allowNetworks?.contains(network) == true || config.networks[network] != nil
    }

    /// Loads the Solana key when a Solana network is allowed. Missing: ✗ when the config names
    /// a Solana network, ⚠ when only the defaults allow Solana devnet (an EVM-only wallet then
    /// works, and is told how to pay on Solana too). Never prints the key.
    func checkSolanaKey(_ config: PurseConfig, _ checks: inout [DoctorCheck]) -> SolanaPublicKey? {
        let networks = Self.solanaNetworks(config)
        guard !networks.isEmpty else { return nil }
        let names = networks.map { Network.parse($0)?.displayName ?? $0 }.joined(separator: ", ")
        do {
            guard let (pair, source) = try KeyLoader.loadSolana(config: config, environment: environment) else {
                let named = networks.contains { Self.named($0, in: config) }
                checks.append(DoctorCheck(
                    id: "key.solana", title: "Solana key", status: named ? .fail : .warn,
                    detail: "\(names) \(networks.count == 1 ? "is" : "are") allowed\(named ? "" : " (by default)"), but there is no Solana key (key.solana or PURSE_SOLANA_KEY): payments there are refused",
                    fix: "run `purse keygen --solana --out PATH` and set key.solana to {\"file\": PATH} in \(configPath), or leave Solana out of policy.allowNetworks"))
                return nil
            }
            let from: String = switch source {
            case .environment: "from PURSE_SOLANA_KEY"
            case let .file(p): "from the keypair file \(p)"
            case let .keystore(p): "from \(p)"
            }
            checks.append(DoctorCheck(id: "key.solana", title: "Solana key", status: .ok, detail: "address \(pair.publicKey.base58), \(from)"))
            return pair.publicKey
        } catch {
            checks.append(DoctorCheck(id: "key.solana", title: "Solana key", status: .fail, detail: "\(error.message) [\(error.code)]",
                                      fix: "check key.solana.file in \(configPath) (a Solana CLI keypair file, mode 0600) or PURSE_SOLANA_KEY (the base58 secret key)"))
            return nil
        }
    }

    /// Checks one allowed Solana network: its RPC, its cluster, each allowed mint and, with a
    /// key, the wallet's balance of it.
    func checkSolanaNetwork(_ network: String, config: PurseConfig, http: any HTTPClient, owner: SolanaPublicKey?,
                            _ checks: inout [DoctorCheck]) async -> SolanaNetworkOutcome {
        var outcome = SolanaNetworkOutcome()
        let title = Network.parse(network)?.displayName ?? network
        let id = "network.\(network)"
        guard let url = config.rpcURL(network: network) else {
            checks.append(DoctorCheck(id: id, title: "network", status: .fail, detail: "\(title) (\(network)): no RPC endpoint",
                                      fix: "add networks.\(network).rpcUrl to \(configPath)"))
            return outcome
        }
        let rpc = SolanaRPCClient(url: url, http: http)
        let genesis: String
        do throws(SolanaRPCError) { genesis = try await rpc.getGenesisHash().base58 } catch {
            checks.append(DoctorCheck(id: id, title: "network", status: .fail, detail: "\(title) (\(network)): \(url) does not answer: \(error.message)",
                                      fix: "check networks.\(network).rpcUrl in \(configPath), or your connection"))
            return outcome
        }
        // A Solana CAIP-2 reference is the first 32 characters of the cluster's genesis hash.
        let reference = String(network.dropFirst("solana:".count))
        guard genesis.hasPrefix(reference) else {
            checks.append(DoctorCheck(id: id, title: "network", status: .fail,
                                      detail: "\(title) (\(network)): \(url) serves the cluster whose genesis hash is \(genesis), not \(network)",
                                      fix: "point networks.\(network).rpcUrl at a \(title) node"))
            return outcome
        }
        outcome.answered = true
        checks.append(DoctorCheck(id: id, title: "network", status: .ok, detail: "\(title) (\(network)): \(url) answers (genesis \(genesis.prefix(8))…)"))

        for asset in config.allowedAssets where asset.network == network {
            let mintID = "mint.\(network).\(asset.address)"
            let fixAsset = "check the mint address and decimals of \(asset.symbol) in networks.\(network).assets of \(configPath)"
            guard let mint = try? SolanaPublicKey(base58: asset.address) else {
                checks.append(DoctorCheck(id: mintID, title: "mint", status: .fail, detail: "\(asset.address) on \(title) is not a Solana address", fix: fixAsset))
                continue
            }
            let facts: SolanaMint
            do throws(SolanaRPCError) { facts = try await rpc.getMint(mint) } catch {
                let detail: String = switch error {
                case .accountNotFound: "\(asset.symbol) \(mint): no such account on \(title) (a mint of another cluster?)"
                case .notAMint: "\(asset.symbol) on \(title): \(error.message)"
                default: "\(asset.symbol) \(mint) on \(title) could not be read: \(error.message)"
                }
                checks.append(DoctorCheck(id: mintID, title: "mint", status: .fail, detail: detail, fix: fixAsset))
                continue
            }
            let program = facts.tokenProgram == .token ? "SPL Token" : "Token-2022"
            guard Int(facts.decimals) == asset.decimals else {
                checks.append(DoctorCheck(id: mintID, title: "mint", status: .fail,
                                          detail: "\(asset.symbol) \(mint) on \(title) has \(facts.decimals) decimals on chain, the config says \(asset.decimals): every amount would be wrong",
                                          fix: "set \"decimals\": \(facts.decimals) for \(mint) in networks.\(network).assets of \(configPath)"))
                continue
            }
            checks.append(DoctorCheck(id: mintID, title: "mint", status: .ok, detail: "\(asset.symbol) \(mint) on \(title): \(program) mint, \(facts.decimals) decimals"))
            guard let owner else { continue }
            let balanceID = "balance.\(network).\(asset.address)"
            do throws(SolanaRPCError) {
                let atomic = try await rpc.tokenBalance(owner: owner, mint: mint, tokenProgram: facts.tokenProgram)
                outcome.balanceRead = true
                outcome.funds = outcome.funds || atomic > 0
                let amount = Int64(exactly: atomic).map { AmountText.decimal(atomic: $0, decimals: asset.decimals) } ?? "\(atomic) (atomic)"
                checks.append(DoctorCheck(id: balanceID, title: "balance", status: atomic > 0 ? .ok : .warn,
                                          detail: "\(amount) \(asset.symbol) on \(title) (mint \(mint))",
                                          fix: atomic > 0 ? nil : Funding.advice(network: network, address: owner.base58)))
            } catch {
                checks.append(DoctorCheck(id: balanceID, title: "balance", status: .fail, detail: "mint \(mint) on \(title): \(error.message)",
                                          fix: "check networks.\(network).rpcUrl in \(configPath), or your connection"))
            }
        }
        return outcome
    }
}
