import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// Migration v4: the payment-identifier id, the resource key, the signed offer, the exact signed
/// payload and the receipt travel with a row, and `paidResource` finds what a sign-in needs.
@Suite struct ExtensionColumnsTests {
    @Test(arguments: LedgerBackend.tested)
    func theExtensionStateRoundTrips(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        var p = usdc(s, 10_000)
        p.paymentId = "pay_" + String(repeating: "7", count: 32)
        p.resource = "https://api.example.com/weather"
        p.offer = #"{"verified":true}"#
        let row = try ledger.reserve(p, limits: .none, now: t0)
        // The id and the resource are durable with the reservation, before anything is signed.
        #expect(try ledger.payment(id: row.id)?.paymentId == p.paymentId)
        #expect(try ledger.payment(id: row.id)?.signedPayload == nil)
        try ledger.markSent(id: row.id, signedPayload: #"{"x402Version":2}"#, now: t0)
        try ledger.markSettled(id: row.id, txHash: "0xab", httpStatus: 200, receipt: #"{"verified":false,"problems":["p"]}"#, now: t0)
        let back = try #require(try ledger.payment(id: row.id))
        #expect(back.payment == p)
        #expect(back.signedPayload == #"{"x402Version":2}"#)
        #expect(back.receipt == #"{"verified":false,"problems":["p"]}"#)
        let json = SpendLogReport(payments: [back], sessions: [], limits: nil, usage: nil, currentSessionID: nil, now: t0).json()
        let entry = try #require(json["payments"]?.arrayValue?.first)
        #expect(entry["paymentId"] == .string(p.paymentId!))
        #expect(entry["receipt"]?["verified"] == false)
    }

    @Test(arguments: LedgerBackend.tested)
    func unknownKeepsTheReportedTransaction(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        let row = try ledger.reserve(usdc(s, 10_000), limits: .none, now: t0)
        try ledger.markSent(id: row.id, now: t0)
        try ledger.markUnknown(id: row.id, error: "settlement_pending", httpStatus: 402, txHash: "0xfeed", now: t0)
        #expect(try ledger.payment(id: row.id)?.status == .unknown)
        #expect(try ledger.payment(id: row.id)?.txHash == "0xfeed")
        #expect(try ledger.payment(id: row.id)?.paymentId == nil)
    }

    @Test(arguments: LedgerBackend.tested)
    func paidResourceIsTheLatestSettledRowOfThatPayerAndResource(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: t0).id
        let resource = "https://api.example.com/weather"
        func pay(_ nonce: Int, resource: String?, settle: Bool, payer: String? = nil) throws -> Int64 {
            var p = usdc(s, 10_000, nonce: nonce)
            p.resource = resource
            if let payer { p.payer = .evm(try Address(parsing: payer)) }
            let row = try ledger.reserve(p, limits: .none, now: t0.addingTimeInterval(Double(nonce)))
            try ledger.markSent(id: row.id, now: t0)
            if settle { try ledger.markSettled(id: row.id, txHash: "0x1", httpStatus: 200, now: t0) }
            return row.id
        }
        let payer = try Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66")
        #expect(try ledger.paidResource(payer: payer, resource: resource) == nil)
        _ = try pay(1, resource: resource, settle: false)
        _ = try pay(2, resource: "https://api.example.com/other", settle: true)
        _ = try pay(3, resource: resource, settle: true, payer: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C")
        #expect(try ledger.paidResource(payer: payer, resource: resource) == nil)
        let first = try pay(4, resource: resource, settle: true)
        let second = try pay(5, resource: resource, settle: true)
        #expect(try ledger.paidResource(payer: payer, resource: resource)?.id == second)
        #expect(first != second)
    }
}
