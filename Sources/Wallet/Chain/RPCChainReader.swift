import ChainRPC
import EVM
import HTTP
import PurseCore
import Solana
import SolanaRPC
import X402

/// Answers chain questions through each network's configured JSON-RPC node: `eth_call`s on EVM,
/// `getAccountInfo` and `getLatestBlockhash` on Solana. Reads only.
public struct RPCChainReader: ChainReader {
    let config: PurseConfig
    let http: any HTTPClient

    /// Creates a reader over `http` with the RPC URLs of `config`.
    public init(config: PurseConfig, http: any HTTPClient) {
        self.config = config
        self.http = http
    }

    public func answer(_ question: ChainQuestion) async -> Result<ChainAnswer, FlowRefusal> {
        switch question {
        case let .permit2Allowance(q):
            guard let url = config.rpcURL(network: q.network) else {
                return .failure(FlowRefusal(code: "chain.no_rpc", message: "no rpcUrl is configured for \(q.network) (networks.\(q.network).rpcUrl)"))
            }
            let rpc = ChainRPCClient(url: url, http: http)
            do throws(ChainRPCError) {
                return .success(.permit2Allowance(try await permit2Allowance(rpc, q)))
            } catch {
                return .failure(FlowRefusal(error))
            }
        case let .solanaPayment(q):
            guard let url = config.rpcURL(network: q.network) else {
                return .failure(FlowRefusal(code: "chain.no_rpc", message: "no rpcUrl is configured for \(q.network) (networks.\(q.network).rpcUrl)"))
            }
            do throws(SolanaRPCError) {
                return .success(.solanaPayment(try await solanaFacts(SolanaRPCClient(url: url, http: http), q)))
            } catch {
                return .failure(FlowRefusal(code: error.code, message: error.message))
            }
        }
    }

    /// The mint's program and decimals (a missing or non-mint account is an answer: the option
    /// is refused), then a blockhash when the offer gave none.
    func solanaFacts(_ rpc: SolanaRPCClient, _ q: SolanaPaymentQuestion) async throws(SolanaRPCError) -> SolanaPaymentFacts {
        let mint: Result<SolanaMint, OptionVerdict.Reason>
        do throws(SolanaRPCError) { mint = .success(try await rpc.getMint(q.mint)) } catch {
            switch error {
            case .accountNotFound:
                mint = .failure(.init(code: "solana.mint_not_found", message: "the asset \(q.mint) has no account on \(q.network): it is not a mint Purse can pay in"))
            case let .notAMint(_, why):
                mint = .failure(.init(code: SolanaExactError.Kind.notAMint.rawValue, message: "the asset \(q.mint) is not a token mint: \(why)"))
            default:
                throw error
            }
        }
        guard q.needsBlockhash, case .success = mint else { return SolanaPaymentFacts(mint: mint) }
        let latest = try await rpc.getLatestBlockhash()
        return SolanaPaymentFacts(mint: mint, blockhash: latest.blockhash, lastValidBlockHeight: latest.lastValidBlockHeight)
    }

    /// The allowance; when it is short and a permit may be signed, the token's EIP-2612 nonce and
    /// domain separator (a token without them simply cannot take a permit: that is an answer,
    /// not a failure).
    func permit2Allowance(_ rpc: ChainRPCClient, _ q: Permit2AllowanceQuestion) async throws(ChainRPCError) -> Permit2Allowance {
        let allowance = try await rpc.allowance(token: q.token, owner: q.owner, spender: Permit2Addresses.permit2)
        guard q.permitIfShort, allowance < UInt256(UInt64(max(0, q.amount))) else { return Permit2Allowance(allowance: allowance) }
        let nonce: UInt256
        do { nonce = try await rpc.permitNonce(token: q.token, owner: q.owner) } catch {
            return Permit2Allowance(allowance: allowance, permitProblem: error.message)
        }
        let separator = try? await rpc.domainSeparator(q.token)
        return Permit2Allowance(allowance: allowance, permitNonce: nonce, domainSeparator: separator)
    }
}
