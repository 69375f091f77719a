import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

/// The payment pipeline on either ledger backend when the ledger fails at a step of a payment:
/// nothing leaves without a recorded `sent`, and a payment that left stays counted until
/// reconcile settles it.
@Suite struct LedgerFaultTests {
    static let lost = LedgerError.connectionLost(location: "postgresql://db.test/purse", detail: "pg.connection_lost: server closed the connection")

    func driver(_ ledger: any PaymentLedger, seller: FakeSeller) throws -> (PaymentDriver, String) {
        let http = InMemoryHTTPClient { r throws(HTTPError) in try await seller.handle(r) }
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let d = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                              config: try WalletFixture.config(), sessionID: session.id)
        return (d, session.id)
    }

    @Test(arguments: LedgerBackend.tested)
    func connectionLostBeforeTheSignedPaymentLeavesSendsNothing(_ backend: LedgerBackend) async throws {
        let fixture = try LedgerFixture(backend)
        let seller = FakeSeller()
        let (d, session) = try driver(FaultyLedger(fixture.ledger, failing: .markSent, with: Self.lost), seller: seller)
        let result = await d.fetch(WalletFixture.request)
        guard case let .refused(refusal) = result.outcome.kind else { Issue.record("expected refused, got \(result.outcome.kind)"); return }
        #expect(refusal.code == "ledger.connection_lost")
        #expect(seller.paidHeaders.isEmpty, "the signed payload never left")
        let id = try #require(result.paymentID)
        let row = try #require(try fixture.ledger.payment(id: id))
        #expect(row.status == .failed && row.signedPayload == nil, "released: it was never sent")
        #expect(try fixture.ledger.usage(sessionID: session, host: nil, allHosts: false, now: Date()).sessionSpent == Micros(0))
    }

    /// On SQLite the sent mark trails the send: queued once the answer is in, ahead of the
    /// outcome's write (`markSentQueued`). If that write fails (or the process dies before it
    /// lands), the payment has left with its row still `reserved`: the
    /// outcome's write, which moves only a sent row, fails too, and the row keeps counting until
    /// reconcile settles it from the nonce the reservation already holds.
    @Test func aQueuedSentMarkThatFailsLeavesThePaymentReservedAndCountedUntilReconcile() async throws {
        let fixture = try LedgerFixture(.sqlite)
        let seller = FakeSeller()
        let (d, session) = try driver(FaultyLedger(fixture.ledger, failing: .queuedSentMark, with: Self.lost), seller: seller)
        let result = await d.fetch(WalletFixture.request)
        let drained = await offPool { QueuedLedgerWrites.drain() }  // never block a cooperative-pool thread
        #expect(drained)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(seller.paidHeaders.count == 1, "paid once")
        let id = try #require(result.paymentID)
        let row = try #require(try fixture.ledger.payment(id: id))
        #expect(row.status == .reserved && row.signedPayload == nil && row.txHash == nil, "neither mark landed")
        #expect(try fixture.ledger.usage(sessionID: session, host: nil, allHosts: false, now: Date()).sessionSpent == Micros(10_000),
                "and it keeps counting")
        #expect(try fixture.ledger.claimUnresolved(claimant: "test", lease: 60, now: Date()).map(\.id) == [id])
        try fixture.ledger.markSettledByChain(id: id, txHash: "0x" + String(repeating: "ab", count: 32), now: Date())
        try fixture.ledger.releaseClaims(claimant: "test")
        #expect(try fixture.ledger.payment(id: id)?.status == .settled)
    }

    @Test(arguments: LedgerBackend.tested)
    func connectionLostAfterThePaymentLeftKeepsItSentUntilReconcile(_ backend: LedgerBackend) async throws {
        let fixture = try LedgerFixture(backend)
        let seller = FakeSeller()
        let (d, session) = try driver(FaultyLedger(fixture.ledger, failing: .markSettled, with: Self.lost), seller: seller)
        let result = await d.fetch(WalletFixture.request)
        #expect(seller.paidHeaders.count == 1, "paid once")
        let id = try #require(result.paymentID)
        let row = try #require(try fixture.ledger.payment(id: id))
        #expect(row.status == .sent && row.signedPayload != nil, "the row stays sent")
        #expect(try fixture.ledger.usage(sessionID: session, host: nil, allHosts: false, now: Date()).sessionSpent == Micros(10_000),
                "and keeps counting")
        // Reconcile's worklist claims it; the chain's word settles it.
        let claimed = try fixture.ledger.claimUnresolved(claimant: "test", lease: 60, now: Date())
        #expect(claimed.map(\.id) == [id])
        #expect(try fixture.another().claimUnresolved(claimant: "other", lease: 60, now: Date()).isEmpty, "another reconcile skips it")
        try fixture.ledger.markSettledByChain(id: id, txHash: "0x" + String(repeating: "ab", count: 32), now: Date())
        try fixture.ledger.releaseClaims(claimant: "test")
        #expect(try fixture.ledger.payment(id: id)?.status == .settled)
    }
}
