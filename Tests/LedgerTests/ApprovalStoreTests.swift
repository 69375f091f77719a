import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// The terminal approval store: filing, listing, the human's answer, and the one atomic use.
@Suite struct ApprovalStoreTests {
    @Test(arguments: LedgerBackend.tested)
    func idsAreWellFormedAndUnguessable(_ backend: LedgerBackend) throws { try LedgerCase(backend).idsAreWellFormedAndUnguessable() }

    @Test(arguments: LedgerBackend.tested)
    func filedApprovalIsPendingListedAndReadBackWhole(_ backend: LedgerBackend) throws { try LedgerCase(backend).filedApprovalIsPendingListedAndReadBackWhole() }

    @Test(arguments: LedgerBackend.tested)
    func pendingListLeavesOutExpiredAndDecided(_ backend: LedgerBackend) throws { try LedgerCase(backend).pendingListLeavesOutExpiredAndDecided() }

    @Test(arguments: LedgerBackend.tested)
    func approvedThenUsedOnceWithTheNonceRecorded(_ backend: LedgerBackend) throws { try LedgerCase(backend).approvedThenUsedOnceWithTheNonceRecorded() }

    @Test(arguments: LedgerBackend.tested)
    func aCheaperPaymentIsWithinTheTerms(_ backend: LedgerBackend) throws { try LedgerCase(backend).aCheaperPaymentIsWithinTheTerms() }

    @Test(arguments: LedgerBackend.tested)
    func expiredApprovalCannotBeApproved(_ backend: LedgerBackend) throws { try LedgerCase(backend).expiredApprovalCannotBeApproved() }

    @Test(arguments: LedgerBackend.tested)
    func malformedIdsAreNotFiled(_ backend: LedgerBackend) throws { try LedgerCase(backend).malformedIdsAreNotFiled() }

    @Test("each refusal has its code and changes nothing", arguments: LedgerBackend.tested, [
        ("pending", "approval.pending"), ("denied", "approval.denied"), ("expired", "approval.expired"), ("unknown", "approval.unknown"),
    ])
    func refusals(_ backend: LedgerBackend, _ c: (String, String)) throws { try LedgerCase(backend).refusals(kind: c.0, code: c.1) }

    @Test("a payment outside the terms is a mismatch and leaves the approval usable", arguments: LedgerBackend.tested, [
        ("payTo", "the payee"), ("host", "the host"), ("network", "the network"), ("asset", "the token"),
        ("payer", "the paying wallet"), ("amount", "more than"),
    ])
    func mismatch(_ backend: LedgerBackend, _ c: (String, String)) throws { try LedgerCase(backend).mismatch(field: c.0, phrase: c.1) }

    @Test(arguments: LedgerBackend.tested)
    func concurrentUsesFromSeparateConnectionsPayOnce(_ backend: LedgerBackend) async throws {
        try await LedgerCase(backend).concurrentUsesFromSeparateConnectionsPayOnce()
    }
}

/// The cases of `ApprovalStoreTests`.
extension LedgerCase {
    static let payTo = try! Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C")
    static let payer = try! Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66")
    static let usdcToken = try! Address(parsing: "0x036CbD53842c5426634e7929541eC2318f3dCF7e")
    static let terms = ApprovalTerms(host: HostName("api.example.com"), network: "eip155:84532", asset: .evm(usdcToken), payTo: .evm(payTo),
                                     payer: .evm(payer), amountAtomic: 10_000)
    static let nonce = try! Nonce32(bytes: Array(repeating: 0x42, count: 32))


    func file(_ id: String = NewApproval.newID(), validity: TimeInterval = 600, terms: ApprovalTerms = terms,
              at now: Date = t0) throws -> ApprovalRecord {
        try ledger.createApproval(
            NewApproval(id: id, sessionID: session, method: "GET", url: "https://api.example.com/weather", assetSymbol: "USDC",
                        decimals: 6, micros: Micros(terms.amountAtomic), paymentFlow: "authorization", terms: terms,
                        expiresAt: now.addingTimeInterval(validity)),
            now: now)
    }

    func use(_ id: String, _ payment: ApprovalTerms = terms, at now: Date = t0.addingTimeInterval(60)) -> Result<ApprovalRecord, ApprovalError> {
        Result { () throws(ApprovalError) in try ledger.useApproval(id: id, payment: payment, reference: .eip3009(nonce: Self.nonce), now: now) }
    }

    func idsAreWellFormedAndUnguessable() throws {
        let ids = (0..<100).map { _ in NewApproval.newID() }
        #expect(Set(ids).count == 100)
        #expect(ids.allSatisfy(NewApproval.isWellFormedID))
        #expect(!NewApproval.isWellFormedID("apr_XYZ") && !NewApproval.isWellFormedID("forged"))
    }

    func filedApprovalIsPendingListedAndReadBackWhole() throws {
        let r = try file()
        #expect(r.status == .pending && r.state(at: t0) == "pending")
        #expect(try ledger.approval(id: r.id) == r)
        #expect(try ledger.approvals(pendingOnly: true, now: t0, limit: nil).map(\.id) == [r.id])
        #expect(r.approval.amountText == "0.01" && r.terms == Self.terms && r.paymentFlow == "authorization")
        // Another connection (the CLI in another process) sees it at once.
        #expect(try fixture.another().approval(id: r.id)?.status == .pending)
        #expect(try ledger.approval(id: "apr_" + String(repeating: "0", count: 24)) == nil)
    }

    func pendingListLeavesOutExpiredAndDecided() throws {
        let expiring = try file(validity: 10)
        let denied = try file()
        let waiting = try file()
        _ = try ledger.decideApproval(id: denied.id, approve: false, now: t0)
        let later = t0.addingTimeInterval(30)
        #expect(try ledger.approvals(pendingOnly: true, now: later, limit: nil).map(\.id) == [waiting.id])
        let all = try ledger.approvals(pendingOnly: false, now: later, limit: nil)
        #expect(Set(all.map(\.id)) == [expiring.id, denied.id, waiting.id])
        #expect(all.first { $0.id == expiring.id }?.state(at: later) == "expired")
    }

    func approvedThenUsedOnceWithTheNonceRecorded() throws {
        let r = try file()
        #expect(try ledger.decideApproval(id: r.id, approve: true, now: t0).status == .approved)
        #expect(try ledger.decideApproval(id: r.id, approve: true, now: t0).status == .approved, "approving twice changes nothing")
        let used = try use(r.id).get()
        #expect(used.status == .used && used.usedNonce == Self.nonce.hex && used.usedAt == t0.addingTimeInterval(60))
        #expect(use(r.id).failure?.code == "approval.reused")
        #expect(Result { () throws(ApprovalError) in try ledger.decideApproval(id: r.id, approve: false, now: t0) }.failure?.code
            == "approval.reused")
    }

    func refusals(kind: String, code: String) throws {
        let r = try file(validity: 30)
        switch kind {
        case "denied": _ = try ledger.decideApproval(id: r.id, approve: false, now: t0)
        case "expired": _ = try ledger.decideApproval(id: r.id, approve: true, now: t0)
        default: break
        }
        let id = kind == "unknown" ? "apr_" + String(repeating: "f", count: 24) : r.id
        let at = kind == "expired" ? t0.addingTimeInterval(30) : t0.addingTimeInterval(10)
        #expect(use(id, at: at).failure?.code == code)
        if kind != "unknown" { #expect(try ledger.approval(id: r.id)?.usedAt == nil) }
    }

    func mismatch(field: String, phrase: String) throws {
        let r = try file()
        _ = try ledger.decideApproval(id: r.id, approve: true, now: t0)
        var other = Self.terms
        let elsewhere = ChainAccount.evm(try Address(parsing: "0x1111111111111111111111111111111111111111"))
        switch field {
        case "payTo": other.payTo = elsewhere
        case "host": other.host = HostName("evil.example.com")
        case "network": other.network = "eip155:8453"
        case "asset": other.asset = elsewhere
        case "payer": other.payer = elsewhere
        default: other.amountAtomic = 10_001
        }
        let e = use(r.id, other).failure
        #expect(e?.code == "approval.mismatch" && e?.message.contains(phrase) == true, "\(String(describing: e))")
        #expect(try use(r.id).get().status == .used, "the approved payment still goes through")
    }

    func aCheaperPaymentIsWithinTheTerms() throws {
        let r = try file()
        _ = try ledger.decideApproval(id: r.id, approve: true, now: t0)
        var cheaper = Self.terms
        cheaper.amountAtomic = 5_000
        #expect(try use(r.id, cheaper).get().status == .used)
    }

    func expiredApprovalCannotBeApproved() throws {
        let r = try file(validity: 5)
        #expect(Result { () throws(ApprovalError) in try ledger.decideApproval(id: r.id, approve: true, now: t0.addingTimeInterval(5)) }
            .failure?.code == "approval.expired")
        #expect(try ledger.decideApproval(id: r.id, approve: false, now: t0).status == .denied, "denying in time works")
        #expect(Result { () throws(ApprovalError) in try ledger.decideApproval(id: r.id, approve: true, now: t0) }.failure?.code
            == "approval.denied")
    }

    func malformedIdsAreNotFiled() throws {
        #expect(throws: LedgerError.self) { try file("apr_short") }
    }

    func concurrentUsesFromSeparateConnectionsPayOnce() async throws {
        let r = try file()
        _ = try ledger.decideApproval(id: r.id, approve: true, now: t0)
        let ledgers = try (0..<4).map { _ in try fixture.another() }
        final class Codes: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
        }
        let codes = Codes()
        let group = DispatchGroup()
        for l in ledgers {
            group.enter()
            Thread {
                let outcome = Result { () throws(ApprovalError) in
                    try l.useApproval(id: r.id, payment: Self.terms, reference: .eip3009(nonce: Self.nonce), now: t0.addingTimeInterval(1))
                }
                codes.lock.withLock { codes.list.append(outcome.failure?.code ?? "used") }
                group.leave()
            }.start()
        }
        await offPool { group.wait() }  // never block a cooperative-pool thread
        #expect(codes.list.sorted() == ["approval.reused", "approval.reused", "approval.reused", "used"])
    }
}

extension Result {
    /// The error, when it failed.
    var failure: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
