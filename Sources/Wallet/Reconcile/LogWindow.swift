import ChainRPC
import Foundation
import Ledger

/// The blocks in which a row's authorization can have been used, so that a log search stays
/// within what a public node answers (`eth_getLogs` ranges are capped).
enum LogWindow {
    /// The Unix-time window in which an authorization reserved at `createdAt` can have been used:
    /// `validAfter` is the signing time minus 600 s, so the reservation time minus 600 s bounds it
    /// below, `validBefore` above; both widened by `skew` for chain clocks.
    static func times(createdAt: Int64, validBefore: Int64, skew: Int64) -> ClosedRange<UInt64> {
        let from = UInt64(max(0, createdAt - 600 - skew))
        let to = UInt64(max(0, max(validBefore, createdAt) + skew))
        return from...max(from, to)
    }

    /// The block range of `row`'s window, found by binary search over block timestamps; nil when
    /// the node cannot say or no block falls in it.
    static func blocks(_ rpc: ChainRPCClient, _ row: PaymentRecord, skew: Int64) async -> ClosedRange<UInt64>? {
        let window = times(createdAt: Int64(row.createdAt.timeIntervalSince1970), validBefore: row.validBefore, skew: skew)
        return (try? await rpc.blocks(from: window.lowerBound, to: window.upperBound)) ?? nil
    }
}
