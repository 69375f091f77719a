import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

@Suite struct TransitionTests {
    @Test(arguments: LedgerBackend.tested, PaymentStatus.allCases)
    func everyTransitionFrom(_ backend: LedgerBackend, _ status: PaymentStatus) throws { try LedgerCase(backend).everyTransitionFrom(status) }

    @Test(arguments: LedgerBackend.tested)
    func fieldsAreRecorded(_ backend: LedgerBackend) throws { try LedgerCase(backend).fieldsAreRecorded() }

    @Test(arguments: LedgerBackend.tested)
    func missingRowIsNotFound(_ backend: LedgerBackend) throws { try LedgerCase(backend).missingRowIsNotFound() }

    @Test(arguments: LedgerBackend.tested)
    func failedThenSettledByChainCountsAgain(_ backend: LedgerBackend) throws { try LedgerCase(backend).failedThenSettledByChainCountsAgain() }
}

/// The cases of `TransitionTests`.
extension LedgerCase {
    /// A row brought to `status` through legal steps.
    private func row(_ status: PaymentStatus) throws -> Int64 {
        let id = try ledger.reserve(usdc(session, 1), limits: .none, now: t0).id
        switch status {
        case .reserved: break
        case .sent: try ledger.markSent(id: id, now: t0)
        case .settled: try ledger.markSent(id: id, now: t0); try ledger.markSettled(id: id, txHash: "0x1", httpStatus: 200, now: t0)
        case .failed: try ledger.markFailed(id: id, error: "released", httpStatus: nil, now: t0)
        case .unknown: try ledger.markSent(id: id, now: t0); try ledger.markUnknown(id: id, error: "timeout", httpStatus: nil, now: t0)
        }
        #expect(try ledger.payment(id: id)?.status == status)
        return id
    }

    private enum Op: CaseIterable { case sent, settled, failed, unknown, chain }

    private func apply(_ op: Op, _ id: Int64) throws(LedgerError) {
        let later = t0.addingTimeInterval(5)
        switch op {
        case .sent: try ledger.markSent(id: id, now: later)
        case .settled: try ledger.markSettled(id: id, txHash: "0xfeed", httpStatus: 200, now: later)
        case .failed: try ledger.markFailed(id: id, error: "no", httpStatus: 402, now: later)
        case .unknown: try ledger.markUnknown(id: id, error: "timeout", httpStatus: nil, now: later)
        case .chain: try ledger.markSettledByChain(id: id, txHash: "0xc0ffee", now: later)
        }
    }

    /// The complete table: which operation is legal from which status.
    private static let legal: [PaymentStatus: Set<Op>] = [
        .reserved: [.sent, .failed, .chain],
        .sent: [.settled, .failed, .unknown, .chain],
        .unknown: [.settled, .failed, .chain],
        .failed: [.chain],
        .settled: [],
    ]

    func everyTransitionFrom(_ status: PaymentStatus) throws {
        for op in Op.allCases {
            let id = try row(status)
            let error = ledgerError { () throws(LedgerError) in try apply(op, id) }
            let expectLegal = Self.legal[status]!.contains(op)
            #expect((error == nil) == expectLegal, "\(status) via \(op): \(error.map(String.init(describing:)) ?? "ok")")
            if let error {
                #expect(error.code == "ledger.bad_transition")
                #expect(try ledger.payment(id: id)?.status == status, "a refused transition changes nothing")
            } else {
                let after = try #require(try ledger.payment(id: id))
                #expect(after.updatedAt == t0.addingTimeInterval(5))
                if op == .chain { #expect(after.status == .settled && after.txHash == "0xc0ffee") }
            }
        }
    }

    func fieldsAreRecorded() throws {
        let id = try row(.unknown)
        try ledger.markSettled(id: id, txHash: "0xbff8", httpStatus: 200, now: t0)
        let r = try #require(try ledger.payment(id: id))
        #expect(r.status == .settled && r.txHash == "0xbff8" && r.httpStatus == 200 && r.error == "timeout")
    }

    func missingRowIsNotFound() throws {
        #expect(ledgerError { () throws(LedgerError) in try ledger.markSent(id: 999, now: t0) } == .paymentNotFound(id: 999))
    }

    func failedThenSettledByChainCountsAgain() throws {
        let id = try row(.failed)
        #expect(try ledger.usage(sessionID: session, host: nil, allHosts: true, now: t0).sessionSpent.value == 0)
        try ledger.markSettledByChain(id: id, txHash: nil, now: t0)
        #expect(try ledger.usage(sessionID: session, host: nil, allHosts: true, now: t0).sessionSpent.value == 1)
    }
}
