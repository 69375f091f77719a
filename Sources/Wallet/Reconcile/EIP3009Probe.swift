import ChainRPC
import Ledger
import PurseCore

/// EIP-3009: the token's `authorizationState(payer, nonce)`; the transaction from the token's
/// `AuthorizationUsed(payer, nonce)` log, searched in the authorization's validity window.
struct EIP3009Probe: AuthorizationProbe {
    let rpc: ChainRPCClient
    /// Seconds of chain clock skew allowed on each side of the window when searching logs.
    let skew: Int64

    func probe(_ row: PaymentRecord) async throws(ChainRPCError) -> ProbeResult {
        guard case let .eip3009(nonce) = row.authorization, let token = row.asset.evmAddress, let payer = row.payer.evmAddress else {
            throw .invalidArgument("payment \(row.id) is not an EIP-3009 payment on an EVM chain")
        }
        let used = try await rpc.authorizationState(token: token.checksummed, authorizer: payer.checksummed, nonce: nonce.bytes)
        guard used else { return .unused }
        guard let blocks = await LogWindow.blocks(rpc, row, skew: skew) else { return .used(transaction: nil, charge: nil) }
        let tx = (try? await rpc.findAuthorizationUsed(token: token.checksummed, authorizer: payer.checksummed, nonce: nonce.bytes,
                                                      blocks: blocks)) ?? nil
        return .used(transaction: tx, charge: nil)
    }
}
