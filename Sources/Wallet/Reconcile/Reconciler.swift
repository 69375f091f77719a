import ChainRPC
import Foundation
import HTTP
import Ledger
import PurseCore
import SolanaRPC
import X402

/// Settles the ledger's unresolved rows (reserved, sent, unknown) against the chain.
///
/// For each row it asks the chain, through the probe of the row's kind of authorization
/// (`probe(for:)`: EIP-3009 `authorizationState`, Permit2 `nonceBitmap`, Solana the signed
/// transaction's status and transfer), whether that very
/// authorization was used: used → settled (with the transaction when the probe finds it, searched
/// only in the blocks whose timestamps fall in the authorization's validity window, found by
/// binary search over block timestamps, so that nodes capping `eth_getLogs` ranges answer; else
/// the hash the seller reported, as a `settlement_pending` answer does; and for `upto` the amount
/// the chain moved); unused and past `validBefore` (plus a margin for chain clock skew) →
/// released, not charged; unused and still valid → left, still counted. It also re-checks
/// `failed` rows whose authorization has not expired: if the chain shows one used (a seller that
/// said 402 and settled anyway), it becomes settled and counts again. And it reads the real
/// transfer of `upto` rows counted at their maximum because the receipt gave no usable amount
/// (`PaymentLedger.unconfirmedCharges`). Last, it prunes the budget totals of minutes no
/// budget reads any more (`PaymentLedger.pruneBudgetTotals`).
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

    /// The probe for a row's kind of authorization: the one dispatch on it.
    func probe(for row: PaymentRecord, rpcURL: String) -> any AuthorizationProbe {
        switch row.authorization {
        case .eip3009: return EIP3009Probe(rpc: ChainRPCClient(url: rpcURL, http: http), skew: searchSkew)
        case .permit2: return Permit2Probe(rpc: ChainRPCClient(url: rpcURL, http: http), skew: searchSkew)
        case .solana: return SolanaProbe(rpc: SolanaRPCClient(url: rpcURL, http: http))
        }
    }

    /// Runs one pass.
    public func run(now: @Sendable () -> Date = { Date() }) async -> ReconcileReport {
        var report = ReconcileReport()
        let rows: [PaymentRecord]
        let ledger = self.ledger
        // Claimed, so that reconciles on several machines never handle one row twice; the
        // claims end with this pass (or their lease, if it dies).
        let claimant = "\(MachineName.current ?? "unknown"):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
        let claimedAt = now()
        do {
            rows = try await LedgerWork.run { () throws(LedgerError) in try ledger.claimUnresolved(claimant: claimant, lease: 600, now: claimedAt) }
        } catch {
            report.entries.append(.init(id: 0, action: "error", detail: "ledger: \(error.message)"))
            return report
        }
        let notBefore = Int64(now().timeIntervalSince1970) - expiryMargin
        let recheck = (try? await LedgerWork.run { () throws(LedgerError) in try ledger.failedButStillValid(notBefore: notBefore) }) ?? []
        for row in recheck {
            guard let rpcURL = config.rpcURL(network: row.network),
                  case let .used(tx, charge)? = try? await probe(for: row, rpcURL: rpcURL).probe(row)
            else { continue }
            if (try? await settle(row, tx: tx, charge: charge, at: now())) != nil {
                report.entries.append(.init(id: row.id, action: "settled", detail: "recorded as failed, but the authorization was used on chain\(tx.map { " in \($0)" } ?? "")"))
            }
        }
        for row in rows {
            guard let rpcURL = config.rpcURL(network: row.network) else {
                report.entries.append(.init(id: row.id, action: "error", detail: "no rpcUrl configured for \(row.network)"))
                continue
            }
            do {
                switch try await probe(for: row, rpcURL: rpcURL).probe(row) {
                case let .used(tx, charge):
                    let hash = tx ?? row.txHash
                    try await settle(row, tx: hash, charge: charge, at: now())
                    let amount = charge.map { " for \(AmountText.format(atomic: $0.atomic, decimals: row.decimals, symbol: row.assetSymbol))" } ?? ""
                    let source = tx != nil ? "" : (hash != nil ? " (the seller reported it; no log found in the window)" : "")
                    report.entries.append(.init(id: row.id, action: "settled", detail: "authorization used on chain\(hash.map { " in \($0)" } ?? "")\(source)\(amount)"))
                case .unused where Int64(now().timeIntervalSince1970) > row.validBefore + expiryMargin:
                    let (id, status, at) = (row.id, row.httpStatus, now())
                    try await LedgerWork.run { () throws(LedgerError) in
                        try ledger.markFailed(id: id, error: "released by reconcile: the authorization expired unused", httpStatus: status, now: at)
                    }
                    report.entries.append(.init(id: row.id, action: "released", detail: "authorization expired unused"))
                case .unused:
                    report.entries.append(.init(id: row.id, action: "pending", detail: "unused, valid until \(row.validBefore); still counted"))
                case let .expired(reason):
                    let (id, status, at) = (row.id, row.httpStatus, now())
                    try await LedgerWork.run { () throws(LedgerError) in
                        try ledger.markFailed(id: id, error: "released by reconcile: \(reason)", httpStatus: status, now: at)
                    }
                    report.entries.append(.init(id: row.id, action: "released", detail: reason))
                }
            } catch {
                report.entries.append(.init(id: row.id, action: "error", detail: "\(row.network): \(error)"))
            }
        }
        _ = try? await LedgerWork.run { () throws(LedgerError) in try ledger.releaseClaims(claimant: claimant) }
        await confirmCharges(&report, now: now)
        // Housekeeping that needs no chain: the budget totals of minutes no budget reads.
        _ = try? await LedgerWork.run { () throws(LedgerError) in try ledger.pruneBudgetTotals() }
        return report
    }

    /// `upto` rows counted at their maximum: the chain's transfer replaces it when it can be read.
    func confirmCharges(_ report: inout ReconcileReport, now: @Sendable () -> Date) async {
        let ledger = self.ledger
        let rows = (try? await LedgerWork.run { () throws(LedgerError) in try ledger.unconfirmedCharges() }) ?? []
        for row in rows {
            guard let rpcURL = config.rpcURL(network: row.network) else { continue }
            do {
                guard case let .used(tx, charge?) = try await probe(for: row, rpcURL: rpcURL).probe(row), charge.source == .chain else {
                    report.entries.append(.init(id: row.id, action: "pending", detail: "settled; the transfer is not readable yet, so the signed maximum still counts"))
                    continue
                }
                try await settle(row, tx: tx, charge: charge, at: now())
                report.entries.append(.init(id: row.id, action: "settled", detail: "charge read from the chain: \(AmountText.format(atomic: charge.atomic, decimals: row.decimals, symbol: row.assetSymbol))"))
            } catch {
                report.entries.append(.init(id: row.id, action: "error", detail: "\(row.network): \(error)"))
            }
        }
    }

    /// Records the chain's word: settled, at the chain's charge when the probe read one; an
    /// `upto` row whose transfer could not be read stays at its maximum, marked for another look.
    func settle(_ row: PaymentRecord, tx: String?, charge: SettledCharge?, at: Date) async throws(LedgerError) {
        let (ledger, id, hash) = (self.ledger, row.id, tx ?? row.txHash)
        var chosen = charge
        if chosen == nil, let max = row.maxAmountAtomic {
            chosen = SettledCharge(atomic: max, micros: Micros(atomic: max, decimals: row.decimals) ?? row.micros, source: .maximum,
                                   note: "used on chain; the transfer could not be read yet, so the signed maximum counts until reconcile reads it")
        }
        let final = chosen
        try await LedgerWork.run { () throws(LedgerError) in
            if let charge = final {
                try ledger.markSettledByChain(id: id, charge: charge, txHash: hash, now: at)
            } else {
                try ledger.markSettledByChain(id: id, txHash: hash, now: at)
            }
        }
    }

    /// The Unix-time window in which an authorization reserved at `createdAt` can have been used
    /// (`LogWindow.times`).
    static func searchWindow(createdAt: Int64, validBefore: Int64, skew: Int64) -> ClosedRange<UInt64> {
        LogWindow.times(createdAt: createdAt, validBefore: validBefore, skew: skew)
    }
}
