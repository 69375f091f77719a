import ChainRPC
import Ledger
import PurseCore

/// EIP-3009: the token's `authorizationState(payer, nonce)`; the transaction from the token's
/// `AuthorizationUsed(payer, nonce)` log.
struct EIP3009Probe: AuthorizationProbe {
    let rpc: ChainRPCClient

    func probe(_ row: PaymentRecord) async throws(ChainRPCError) -> ProbeResult {
        guard case let .eip3009(nonce) = row.authorization, let token = row.asset.evmAddress, let payer = row.payer.evmAddress else {
            throw .invalidArgument("payment \(row.id) is not an EIP-3009 payment on an EVM chain")
        }
        let used = try await rpc.authorizationState(token: token.checksummed, authorizer: payer.checksummed, nonce: nonce.bytes)
        guard used else { return .unused }
        let tx = (try? await rpc.findAuthorizationUsed(token: token.checksummed, authorizer: payer.checksummed, nonce: nonce.bytes)) ?? nil
        return .used(transaction: tx, charge: nil)
    }
}
