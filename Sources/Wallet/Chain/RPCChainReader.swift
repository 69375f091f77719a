import ChainRPC
import EVM
import HTTP
import PurseCore
import X402

/// Answers chain questions through each network's configured JSON-RPC node (`eth_call`s only).
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
        }
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
