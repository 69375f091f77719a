import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// The fast row decoder behind `payments` (spend-log, report) reads every stored field, exactly
/// as `payment(id:)` does; a corrupt value is a coded ledger error naming the column.
@Suite struct PaymentRowDecoderTests {
    @Test(arguments: LedgerBackend.tested)
    func everyFieldSurvivesTheBulkRead(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        var p = usdc(s, 12_345, host: "mcp:weather", nonce: 7)
        p.paymentId = "pay_" + String(repeating: "3", count: 32)
        p.resource = "https://api.example.com/weather"
        p.offer = #"{"verified":true}"#
        let full = try ledger.reserve(p, limits: .none, now: t0)
        try ledger.markSent(id: full.id, signedPayload: #"{"x402Version":2}"#, now: t0)
        try ledger.markSettled(id: full.id, txHash: "0x" + String(repeating: "cd", count: 32), httpStatus: 200, receipt: #"{"verified":true}"#,
                               now: t0.addingTimeInterval(1))
        let bare = try ledger.reserve(usdc(s, 1, nonce: 8), limits: .none, now: t0.addingTimeInterval(2))

        let bulk = try ledger.payments(PaymentFilter())
        #expect(bulk.map(\.id) == [bare.id, full.id])
        #expect(bulk[1] == (try ledger.payment(id: full.id)))
        #expect(bulk[0] == (try ledger.payment(id: bare.id)))
        #expect(bulk[1].payment == p)
        #expect(bulk[1].signedPayload == #"{"x402Version":2}"#)
        #expect(bulk[1].receipt == #"{"verified":true}"#)
        #expect(bulk[1].txHash == "0x" + String(repeating: "cd", count: 32) && bulk[1].httpStatus == 200 && bulk[1].status == .settled)
        #expect(bulk[1].updatedAt == t0.addingTimeInterval(1))
        #expect(bulk[0].paymentId == nil && bulk[0].txHash == nil && bulk[0].status == .reserved)
    }

    @Test(arguments: LedgerBackend.tested)
    func aCorruptAddressIsALedgerErrorNamingTheColumn(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        _ = try ledger.reserve(usdc(s, 1), limits: .none, now: t0)
        try fixture.executeRaw("UPDATE payment SET pay_to = '0xnot-an-address'")
        let error = ledgerError { () throws(LedgerError) in try ledger.payments(PaymentFilter()) }
        #expect(error != nil)
        #expect(error?.message.contains("pay_to") == true)
    }

    @Test(arguments: LedgerBackend.tested)
    func uptoPermit2AndSolanaFieldsSurviveTheBulkRead(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        var p = usdc(s, 50_000, nonce: 9)
        p.scheme = "upto"
        p.authorization = .permit2(nonce: try Nonce32(bytes: [UInt8](repeating: 0x42, count: 32)))
        p.maxAmountAtomic = 50_000
        p.payTo = .solana(try SolanaAddress(base58: "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4"))
        let row = try ledger.reserve(p, limits: .none, now: t0)
        try ledger.markSent(id: row.id, now: t0)
        try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 50_000, micros: Micros(50_000), source: .maximum, note: "no amount"),
                               txHash: nil, httpStatus: 200, now: t0)
        let bulk = try #require(try ledger.payments(PaymentFilter()).first)
        #expect(bulk == (try ledger.payment(id: row.id)))
        #expect(bulk.payment == p && bulk.amountSource == .maximum && bulk.amountNote == "no amount")
        // A stored kind the build does not know is a corrupt row, named.
        try fixture.executeRaw("UPDATE payment SET authorization_kind = 'bitcoin'")
        #expect(ledgerError { () throws(LedgerError) in try ledger.payments(PaymentFilter()) }?.message.contains("nonce") == true)
    }
}
