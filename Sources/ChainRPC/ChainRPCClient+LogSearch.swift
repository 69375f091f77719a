// Purse ChainRPC module: event logs searched in a bounded block window, in chunks.

import PurseCore

extension ChainRPCClient {
    /// Logs of `address` matching `topics` in `blocks`, searched in chunks of at most `chunk`
    /// blocks; a chunk the node refuses is halved (down to one block) before giving up, as for
    /// `findAuthorizationUsed`. Removed logs and logs not matching the query are dropped.
    public func logs(address: String, topics: [String], blocks: ClosedRange<UInt64>, chunk: UInt64 = 1_000) async throws(ChainRPCError)
        -> [ChainLog]
    {
        let contract = try EthHex.address(address, "the log address").lowercased
        var size = max(1, min(chunk, blocks.upperBound - blocks.lowerBound + 1))
        var start = blocks.lowerBound
        var found: [ChainLog] = []
        while start <= blocks.upperBound {
            let end = min(blocks.upperBound, start + size - 1)
            let logs: [ChainLog]
            do throws(ChainRPCError) {
                logs = try await getLogs(address: address, topics: topics, fromBlock: Self.quantity(start), toBlock: Self.quantity(end))
            } catch {
                guard case .rpcError = error, size > 1 else { throw error }
                size /= 2
                continue
            }
            found += logs.filter { !$0.removed && $0.address == contract && $0.topics.starts(with: topics) }
            if end == blocks.upperBound { break }
            start = end + 1
        }
        return found
    }
}
