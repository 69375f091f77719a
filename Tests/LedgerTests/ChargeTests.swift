import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// Payments settled for their actual amount (`upto`): the reservation holds the signed maximum,
/// settlement replaces it with the charge in one transaction, and the rest is free at once.
@Suite struct ChargeTests {
    @Test(arguments: LedgerBackend.tested)
    func theChargeReplacesTheMaximumAtOnce(_ backend: LedgerBackend) throws { try LedgerCase(backend).theChargeReplacesTheMaximumAtOnce() }

    @Test(arguments: LedgerBackend.tested)
    func aChargeAboveTheMaximumIsRefused(_ backend: LedgerBackend) throws { try LedgerCase(backend).aChargeAboveTheMaximumIsRefused() }

    @Test(arguments: LedgerBackend.tested)
    func aMaximumChargeWaitsForTheChainWhichMayLowerIt(_ backend: LedgerBackend) throws { try LedgerCase(backend).aMaximumChargeWaitsForTheChainWhichMayLowerIt() }

    @Test(arguments: LedgerBackend.tested)
    func aFixedPriceRowCannotBeChargedMore(_ backend: LedgerBackend) throws { try LedgerCase(backend).aFixedPriceRowCannotBeChargedMore() }

    @Test(arguments: LedgerBackend.tested)
    func referencesAndAccountsOfEveryKindRoundTrip(_ backend: LedgerBackend) throws { try LedgerCase(backend).referencesAndAccountsOfEveryKindRoundTrip() }
}

/// The cases of `ChargeTests`.
extension LedgerCase {
    /// An `upto` payment of at most 0.05 (50000 atomic units of a 6-decimal token) over Permit2.
    func upto(max: Int64 = 50_000, nonce: UInt8 = 7) -> NewPayment {
        var p = usdc(session, max)
        p.scheme = "upto"
        p.authorization = .permit2(nonce: try! Nonce32(bytes: [UInt8](repeating: 0, count: 31) + [nonce]))
        p.maxAmountAtomic = max
        return p
    }

    func spent() throws -> Micros { try ledger.usage(sessionID: session, host: nil, allHosts: false, now: t0).sessionSpent }

    func theChargeReplacesTheMaximumAtOnce() throws {
        let row = try ledger.reserve(upto(), limits: .none, now: t0)
        #expect(try spent() == Micros(50_000))
        try ledger.markSent(id: row.id, now: t0)
        try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt),
                               txHash: "0xabc", httpStatus: 200, now: t0)
        let settled = try #require(try ledger.payment(id: row.id))
        #expect(settled.status == .settled && settled.amountAtomic == 12_300 && settled.micros == Micros(12_300))
        #expect(settled.maxAmountAtomic == 50_000 && settled.amountSource == .receipt && settled.txHash == "0xabc")
        #expect(settled.authorization == upto().authorization)
        #expect(try spent() == Micros(12_300))  // the other 0.0377 is free again
    }

    func aChargeAboveTheMaximumIsRefused() throws {
        let row = try ledger.reserve(upto(), limits: .none, now: t0)
        try ledger.markSent(id: row.id, now: t0)
        let e = ledgerError { () throws(LedgerError) in
            try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 50_001, micros: Micros(50_001), source: .receipt),
                                   txHash: nil, httpStatus: 200, now: t0)
        }
        #expect(e?.code == "ledger.bad_amount")
        #expect(try ledger.payment(id: row.id)?.status == .sent)
        #expect(try spent() == Micros(50_000))
    }

    func aMaximumChargeWaitsForTheChainWhichMayLowerIt() throws {
        let row = try ledger.reserve(upto(), limits: .none, now: t0)
        try ledger.markSent(id: row.id, now: t0)
        try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 50_000, micros: Micros(50_000), source: .maximum, note: "claimed 0.09"),
                               txHash: "0xabc", httpStatus: 200, now: t0)
        #expect(try ledger.unconfirmedCharges().map(\.id) == [row.id])
        #expect(try ledger.payment(id: row.id)?.amountNote == "claimed 0.09")
        // Reconcile reads the transfer: the chain's word replaces the maximum, even on a settled row.
        try ledger.markSettledByChain(id: row.id, charge: SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .chain),
                                      txHash: "0xabc", now: t0)
        #expect(try ledger.unconfirmedCharges().isEmpty)
        #expect(try ledger.payment(id: row.id)?.amountSource == .chain)
        #expect(try spent() == Micros(12_300))
        // Still never above the signed maximum.
        #expect(ledgerError { () throws(LedgerError) in
            try ledger.markSettledByChain(id: row.id, charge: SettledCharge(atomic: 60_000, micros: Micros(60_000), source: .chain),
                                          txHash: nil, now: t0)
        }?.code == "ledger.bad_amount")
    }

    func aFixedPriceRowCannotBeChargedMore() throws {
        let row = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        try ledger.markSent(id: row.id, now: t0)
        #expect(ledgerError { () throws(LedgerError) in
            try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 10_001, micros: Micros(10_001), source: .receipt),
                                   txHash: nil, httpStatus: 200, now: t0)
        }?.code == "ledger.bad_amount")
    }

    func referencesAndAccountsOfEveryKindRoundTrip() throws {
        var p = upto(nonce: 9)
        let solana = try SolanaAddress(base58: "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4")
        p.payTo = .solana(solana)
        let row = try ledger.reserve(p, limits: .none, now: t0)
        let back = try #require(try ledger.payment(id: row.id))
        #expect(back.payment == p)
        #expect(back.payTo.text == "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4")
        #expect(back.authorization.kind == "permit2")
        // A row of the old shape reads back as EIP-3009 with a fixed amount.
        let old = try ledger.reserve(usdc(session, 1), limits: .none, now: t0)
        let o = try #require(try ledger.payment(id: old.id))
        #expect(o.authorization.kind == "eip3009" && o.maxAmountAtomic == nil && o.amountSource == nil)
    }
}
