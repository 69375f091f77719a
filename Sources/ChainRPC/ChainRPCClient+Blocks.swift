// Purse ChainRPC module: finding blocks by time.

import PurseCore

extension ChainRPCClient {
    /// The timestamp (Unix seconds) of block `number`, from `eth_getBlockByNumber(number, false)`.
    ///
    /// - Throws: `.badResponse` when the node knows no such block or its answer has no timestamp.
    public func blockTimestamp(_ number: UInt64) async throws(ChainRPCError) -> UInt64 {
        let result = try await request("eth_getBlockByNumber", [.string(Self.quantity(number)), .bool(false)])
        guard case .object = result else { throw .badResponse("eth_getBlockByNumber(\(number)) returned \(result.typeName), not a block") }
        guard let t = EthHex.parseQuantity(result["timestamp"]) else { throw .badResponse("block \(number) has no timestamp") }
        return t
    }

    /// The first block at or after Unix time `time` in `0...latest` (`latest + 1` when every block
    /// is older), by binary search over block timestamps: about log2(latest) calls, whatever the
    /// chain's block time.
    public func firstBlock(atOrAfter time: UInt64, latest: UInt64) async throws(ChainRPCError) -> UInt64 {
        var lo: UInt64 = 0
        var hi = latest + 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if try await blockTimestamp(mid) < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The blocks whose timestamps fall in `from...to` (Unix seconds), or nil when none does:
    /// the bounded window a log search needs on nodes that cap `eth_getLogs` ranges.
    public func blocks(from: UInt64, to: UInt64) async throws(ChainRPCError) -> ClosedRange<UInt64>? {
        guard from <= to else { return nil }
        let latest = try await blockNumber()
        let first = try await firstBlock(atOrAfter: from, latest: latest)
        guard first <= latest else { return nil }
        let afterLast = to == .max ? latest + 1 : try await firstBlock(atOrAfter: to + 1, latest: latest)
        guard afterLast > first else { return nil }
        return first...(afterLast - 1)
    }
}
