import ChainRPC
import Foundation
import HTTP
import Ledger
import PurseCore

/// Settles the ledger's unresolved rows (reserved, sent, unknown) against the chain.
///
/// For each row it asks the token `authorizationState(payer, nonce)`: used → settled (with the
/// transaction hash from the `AuthorizationUsed` log when the RPC can find it); unused and past
/// `validBefore` (plus a margin for chain clock skew) → released, not charged; unused and still
/// valid → left, still counted. It also re-checks `failed` rows whose authorization has not
/// expired: if the chain shows one used (a seller that said 402 and settled anyway), it becomes
/// settled and counts again.
public struct Reconciler: Sendable {
    let ledger: Ledger
    let config: PurseConfig
    let http: any HTTPClient
    /// Seconds after `validBefore` before an unused authorization is released.
    public var expiryMargin: Int64 = 30

    /// Creates a reconciler.
    public init(ledger: Ledger, config: PurseConfig, http: any HTTPClient) {
        self.ledger = ledger
        self.config = config
        self.http = http
    }

    /// Runs one pass.
    public func run(now: @Sendable () -> Date = { Date() }) async -> ReconcileReport {
        var report = ReconcileReport()
        let rows: [PaymentRecord]
        do { rows = try ledger.unresolved() } catch {
            report.entries.append(.init(id: 0, action: "error", detail: "ledger: \(error.message)"))
            return report
        }
        let recheck = (try? ledger.failedButStillValid(notBefore: Int64(now().timeIntervalSince1970) - expiryMargin)) ?? []
        for row in recheck {
            guard let rpcURL = config.rpcURL(network: row.network), let nonce = try? Hex.decode(row.nonce, length: 32) else { continue }
            let rpc = ChainRPCClient(url: rpcURL, http: http)
            guard (try? await rpc.authorizationState(token: row.asset, authorizer: row.payer, nonce: nonce)) == true else { continue }
            let tx = (try? await rpc.findAuthorizationUsed(token: row.asset, authorizer: row.payer, nonce: nonce)) ?? nil
            if (try? ledger.markSettledByChain(id: row.id, txHash: tx, now: now())) != nil {
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
                let nonce = try Hex.decode(row.nonce, length: 32)
                let used = try await rpc.authorizationState(token: row.asset, authorizer: row.payer, nonce: nonce)
                if used {
                    let tx = try? await rpc.findAuthorizationUsed(token: row.asset, authorizer: row.payer, nonce: nonce)
                    try ledger.markSettledByChain(id: row.id, txHash: (tx ?? nil) ?? row.txHash, now: now())
                    report.entries.append(.init(id: row.id, action: "settled", detail: "authorization used on chain\((tx ?? nil).map { " in \($0)" } ?? "")"))
                } else if Int64(now().timeIntervalSince1970) > row.validBefore + expiryMargin {
                    try ledger.markFailed(id: row.id, error: "released by reconcile: the authorization expired unused", httpStatus: row.httpStatus, now: now())
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
}
