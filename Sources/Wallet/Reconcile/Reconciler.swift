import ChainRPC
import Foundation
import HTTP
import Ledger
import PurseCore

/// Settles the ledger's unresolved rows (reserved, sent, unknown) against the chain.
///
/// For each row it asks the token `authorizationState(payer, nonce)`: used → settled (with the
/// transaction hash from the `AuthorizationUsed` log, searched only in the blocks whose
/// timestamps fall in the authorization's validity window, found by binary search over block
/// timestamps, so that nodes capping `eth_getLogs` ranges answer; else the hash the seller
/// reported, as a `settlement_pending` answer does); unused and past
/// `validBefore` (plus a margin for chain clock skew) → released, not charged; unused and still
/// valid → left, still counted. It also re-checks `failed` rows whose authorization has not
/// expired: if the chain shows one used (a seller that said 402 and settled anyway), it becomes
/// settled and counts again.
public struct Reconciler: Sendable {
    let ledger: any PaymentLedger
    let config: PurseConfig
    let http: any HTTPClient
    /// Seconds after `validBefore` before an unused authorization is released.
    public var expiryMargin: Int64 = 30
    /// Seconds of chain clock skew allowed on each side of the validity window when searching logs.
    public var searchSkew: Int64 = 300

    /// Creates a reconciler.
    public init(ledger: any PaymentLedger, config: PurseConfig, http: any HTTPClient) {
        self.ledger = ledger
        self.config = config
        self.http = http
    }

    /// Runs one pass.
    public func run(now: @Sendable () -> Date = { Date() }) async -> ReconcileReport {
        var report = ReconcileReport()
        let rows: [PaymentRecord]
        let ledger = self.ledger
        do { rows = try await LedgerWork.run { () throws(LedgerError) in try ledger.unresolved() } } catch {
            report.entries.append(.init(id: 0, action: "error", detail: "ledger: \(error.message)"))
            return report
        }
        let notBefore = Int64(now().timeIntervalSince1970) - expiryMargin
        let recheck = (try? await LedgerWork.run { () throws(LedgerError) in try ledger.failedButStillValid(notBefore: notBefore) }) ?? []
        for row in recheck {
            guard let rpcURL = config.rpcURL(network: row.network) else { continue }
            let rpc = ChainRPCClient(url: rpcURL, http: http)
            let (token, payer, nonce) = (row.asset.checksummed, row.payer.checksummed, row.nonce.bytes)
            guard (try? await rpc.authorizationState(token: token, authorizer: payer, nonce: nonce)) == true else { continue }
            let tx = await usedIn(rpc, row)
            let (id, at) = (row.id, now())
            if (try? await LedgerWork.run({ () throws(LedgerError) in try ledger.markSettledByChain(id: id, txHash: tx, now: at) })) != nil {
                report.entries.append(.init(id: row.id, action: "settled", detail: "recorded as failed, but the authorization was used on chain\(tx.map { " in \($0)" } ?? "")"))
            }
        }
        for row in rows {
            guard let rpcURL = config.rpcURL(network: row.network) else {
                report.entries.append(.init(id: row.id, action: "error", detail: "no rpcUrl configured for \(row.network)"))
                continue
            }
            let rpc = ChainRPCClient(url: rpcURL, http: http)
            do {
                let (token, payer, nonce, id) = (row.asset.checksummed, row.payer.checksummed, row.nonce.bytes, row.id)
                let used = try await rpc.authorizationState(token: token, authorizer: payer, nonce: nonce)
                if used {
                    let tx = await usedIn(rpc, row)
                    let (hash, at) = (tx ?? row.txHash, now())
                    try await LedgerWork.run { () throws(LedgerError) in try ledger.markSettledByChain(id: id, txHash: hash, now: at) }
                    let source = tx != nil ? "" : (hash != nil ? " (the seller reported it; no log found in the window)" : "")
                    report.entries.append(.init(id: row.id, action: "settled", detail: "authorization used on chain\(hash.map { " in \($0)" } ?? "")\(source)"))
                } else if Int64(now().timeIntervalSince1970) > row.validBefore + expiryMargin {
                    let (status, at) = (row.httpStatus, now())
                    try await LedgerWork.run { () throws(LedgerError) in
                        try ledger.markFailed(id: id, error: "released by reconcile: the authorization expired unused", httpStatus: status, now: at)
                    }
                    report.entries.append(.init(id: row.id, action: "released", detail: "authorization expired unused"))
                } else {
                    report.entries.append(.init(id: row.id, action: "pending", detail: "unused, valid until \(row.validBefore); still counted"))
                }
            } catch {
                report.entries.append(.init(id: row.id, action: "error", detail: "\(row.network): \(error)"))
            }
        }
        return report
    }

    /// The transaction that used the row's authorization, searched in its validity window
    /// (`validAfter` is the signing time minus 600 s, so the reservation time minus 600 s bounds
    /// it below; `validBefore` above), widened by `searchSkew` for chain clocks; nil when the
    /// search fails or finds nothing.
    func usedIn(_ rpc: ChainRPCClient, _ row: PaymentRecord) async -> String? {
        let created = Int64(row.createdAt.timeIntervalSince1970)
        let window = Self.searchWindow(createdAt: created, validBefore: row.validBefore, skew: searchSkew)
        guard let blocks = try? await rpc.blocks(from: window.lowerBound, to: window.upperBound) else { return nil }
        return (try? await rpc.findAuthorizationUsed(token: row.asset.checksummed, authorizer: row.payer.checksummed,
                                                     nonce: row.nonce.bytes, blocks: blocks)) ?? nil
    }

    /// The Unix-time window in which an authorization reserved at `createdAt` can have been used.
    static func searchWindow(createdAt: Int64, validBefore: Int64, skew: Int64) -> ClosedRange<UInt64> {
        let from = UInt64(max(0, createdAt - 600 - skew))
        let to = UInt64(max(0, max(validBefore, createdAt) + skew))
        return from...max(from, to)
    }
}
