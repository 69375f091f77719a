// Purse ChainRPC module: the EIP-3009 AuthorizationUsed log, searched in a bounded window.

import EVM
import PurseCore

extension ChainRPCClient {
    /// The transaction that used an EIP-3009 authorization, found through its
    /// `AuthorizationUsed(authorizer, nonce)` event on `token` within `blocks`, or nil.
    ///
    /// Public nodes cap the block range of `eth_getLogs` (often 500–10,000 blocks) and answer a
    /// wider query with an error, so the window is searched in chunks of at most `chunk` blocks;
    /// a chunk the node still refuses is halved (down to one block) before giving up.
    public func findAuthorizationUsed(token: String, authorizer: String, nonce: [UInt8], blocks: ClosedRange<UInt64>,
                                      chunk: UInt64 = 1_000) async throws(ChainRPCError) -> String? {
        let contract = try EthHex.address(token, "the token address")
        let from = try EthHex.address(authorizer, "the authorizer address")
        guard nonce.count == 32 else { throw .invalidArgument("the nonce must be 32 bytes, got \(nonce.count)") }
        let topics = [Hex.encode(ABI.authorizationUsedTopic), Hex.encode(ABI.encode(from)), Hex.encode(nonce)]
        let tokenHex = contract.lowercased
        var size = max(1, min(chunk, blocks.upperBound - blocks.lowerBound + 1))
        var start = blocks.lowerBound
        while start <= blocks.upperBound {
            let end = min(blocks.upperBound, start + size - 1)
            let logs: [ChainLog]
            do throws(ChainRPCError) {
                logs = try await getLogs(address: token, topics: topics, fromBlock: Self.quantity(start), toBlock: Self.quantity(end))
            } catch {
                guard case .rpcError = error, size > 1 else { throw error }
                size /= 2
                continue
            }
            if let hit = logs.first(where: { !$0.removed && $0.address == tokenHex && $0.topics.starts(with: topics) }) {
                return hit.transactionHash
            }
            if end == blocks.upperBound { break }
            start = end + 1
        }
        return nil
    }
}
