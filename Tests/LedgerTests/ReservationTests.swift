import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

@Suite struct ReservationTests {
    @Test(arguments: LedgerBackend.tested)
    func reservedRowIsStoredAndReturned(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").reservedRowIsStoredAndReturned() }

    @Test(arguments: LedgerBackend.tested)
    func reservationIsCommittedBeforeReserveReturns(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").reservationIsCommittedBeforeReserveReturns() }

    @Test(arguments: LedgerBackend.tested)
    func perRequestCap(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").perRequestCap() }

    @Test(arguments: LedgerBackend.tested)
    func sessionBudgetMessageNamesEveryNumber(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").sessionBudgetMessageNamesEveryNumber() }

    @Test(arguments: LedgerBackend.tested)
    func dailyBudgetSpansSessions(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").dailyBudgetSpansSessions() }

    @Test(arguments: LedgerBackend.tested)
    func hostDailyBudgetOnlyCountsThatHost(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").hostDailyBudgetOnlyCountsThatHost() }

    @Test(arguments: LedgerBackend.tested)
    func refusalWritesNothing(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").refusalWritesNothing() }

    @Test(arguments: LedgerBackend.tested)
    func failedRowsDoNotCountOtherStatusesDo(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").failedRowsDoNotCountOtherStatusesDo() }

    @Test(arguments: LedgerBackend.tested)
    func settledRowsCountButAreNotPending(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").settledRowsCountButAreNotPending() }

    @Test(arguments: LedgerBackend.tested)
    func rollingDailyWindow(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").rollingDailyWindow() }

    @Test(arguments: LedgerBackend.tested)
    func unknownSessionAndBadAmountsAreLedgerErrors(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").unknownSessionAndBadAmountsAreLedgerErrors() }

    @Test(arguments: LedgerBackend.tested)
    func sessionsAndQueries(_ backend: LedgerBackend) throws { try LedgerCase(backend, label: "test").sessionsAndQueries() }
}

/// The cases of `ReservationTests`.
extension LedgerCase {
    func reservedRowIsStoredAndReturned() throws {
        let r = try ledger.reserve(usdc(session, 10_000, host: "API.Example.com"), limits: .none, now: t0)
        #expect(r.status == .reserved)
        #expect(r.micros == Micros(10_000))
        #expect(r.host == HostName("api.example.com"))
        #expect(r.createdAt == t0)
        #expect(try ledger.payment(id: r.id) == r)
        #expect(try ledger.unresolved() == [r])
    }

    func reservationIsCommittedBeforeReserveReturns() throws {
        let limits = BudgetLimits(daily: Micros(10_000))
        _ = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)
        // Another connection (as another process would have) sees the row at once and is refused.
        let other = try fixture.another()
        let s2 = try other.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        #expect(reserveError { () throws(LedgerReserveError) in try other.reserve(usdc(s2, 1), limits: limits, now: t0) }?.code
            == "budget.daily_exceeded")
    }

    func perRequestCap() throws {
        let limits = BudgetLimits(perRequest: Micros(10_000))
        _ = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)
        let e = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(session, 10_001), limits: limits, now: t0) }
        let r = try #require(e?.refusal)
        #expect(e?.code == "budget.per_request_exceeded")
        #expect(r.limit == .perRequest && r.limitAmount.value == 10_000 && r.requested.value == 10_001)
        #expect(r.message == "per-request cap 0.010000 USDC: this payment needs 0.010001")
    }

    func sessionBudgetMessageNamesEveryNumber() throws {
        let limits = BudgetLimits(session: Micros(25_000))
        _ = try ledger.reserve(usdc(session, 20_000), limits: limits, now: t0)
        let e = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0) }
        let r = try #require(e?.refusal)
        #expect(e?.code == "budget.session_exceeded")
        #expect((r.limitAmount.value, r.spent.value, r.remaining.value, r.requested.value) == (25_000, 20_000, 5_000, 10_000))
        #expect(r.message == "session budget 0.025 USDC: 0.020 spent, 0.005 left, this payment needs 0.010")
        // Exactly up to the limit is allowed; another session is not affected.
        _ = try ledger.reserve(usdc(session, 5_000), limits: limits, now: t0)
        let other = try ledger.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        _ = try ledger.reserve(usdc(other, 25_000), limits: limits, now: t0)
        #expect(try ledger.payments(PaymentFilter(status: .reserved)).count == 3)
    }

    func dailyBudgetSpansSessions() throws {
        let limits = BudgetLimits(daily: Micros(50_000))
        let other = try ledger.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        _ = try ledger.reserve(usdc(session, 30_000), limits: limits, now: t0)
        _ = try ledger.reserve(usdc(other, 15_000), limits: limits, now: t0)
        let e = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(other, 10_000), limits: limits, now: t0) }
        #expect(e?.code == "budget.daily_exceeded")
        #expect(e?.refusal?.spent.value == 45_000)
        #expect(e?.refusal?.remaining.value == 5_000)
        #expect(e?.message.hasPrefix("daily budget (rolling 24 h) 0.050 USDC: 0.045 spent") == true)
    }

    func hostDailyBudgetOnlyCountsThatHost() throws {
        let limits = BudgetLimits(perHostDaily: [HostName("api.example.com"): Micros(20_000)])
        _ = try ledger.reserve(usdc(session, 15_000), limits: limits, now: t0)
        _ = try ledger.reserve(usdc(session, 90_000, host: "other.example"), limits: limits, now: t0)
        let e = reserveError { () throws(LedgerReserveError) in
            try ledger.reserve(usdc(session, 6_000, host: "Api.Example.Com"), limits: limits, now: t0)
        }
        #expect(e?.code == "budget.host_daily_exceeded")
        #expect(e?.refusal?.host == HostName("api.example.com"))
        #expect(e?.refusal?.spent.value == 15_000)
        #expect(e?.message.contains("daily budget for api.example.com") == true)
        _ = try ledger.reserve(usdc(session, 5_000), limits: limits, now: t0)
    }

    func refusalWritesNothing() throws {
        let limits = BudgetLimits(session: Micros(1))
        _ = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(session, 2), limits: limits, now: t0) }
        #expect(try ledger.payments(PaymentFilter()).isEmpty)
    }

    func failedRowsDoNotCountOtherStatusesDo() throws {
        let limits = BudgetLimits(session: Micros(40_000), daily: Micros(40_000), perHostDaily: [HostName("api.example.com"): Micros(40_000)])
        let a = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)          // stays reserved
        let b = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)          // sent
        try ledger.markSent(id: b.id, now: t0)
        let c = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)          // unknown
        try ledger.markSent(id: c.id, now: t0)
        try ledger.markUnknown(id: c.id, error: "timeout", httpStatus: nil, now: t0)
        let d = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)          // released
        try ledger.markFailed(id: d.id, error: "declined", httpStatus: nil, now: t0)
        let u = try ledger.usage(sessionID: session, host: HostName("api.example.com"), allHosts: true, now: t0)
        #expect(u.sessionSpent.value == 30_000 && u.dailySpent.value == 30_000 && u.hostSpent(HostName("api.example.com")).value == 30_000)
        #expect(u.sessionPending.value == 30_000)
        _ = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)             // fills to 40_000
        let e = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(session, 1), limits: limits, now: t0) }
        #expect(e?.code == "budget.session_exceeded")
        #expect(Set(try ledger.unresolved().map(\.id)).isSuperset(of: [a.id, b.id, c.id]))
        #expect(!(try ledger.unresolved().map(\.id)).contains(d.id))
    }

    func settledRowsCountButAreNotPending() throws {
        let r = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        try ledger.markSent(id: r.id, now: t0)
        try ledger.markSettled(id: r.id, txHash: "0xabc", httpStatus: 200, now: t0)
        let u = try ledger.usage(sessionID: session, host: nil, allHosts: true, now: t0)
        #expect(u.sessionSpent.value == 10_000 && u.sessionPending.value == 0)
        #expect(u.hostDailySpent == [HostName("api.example.com"): Micros(10_000)])
    }

    func rollingDailyWindow() throws {
        let limits = BudgetLimits(session: Micros(100_000), daily: Micros(10_000), perHostDaily: [HostName("api.example.com"): Micros(10_000)])
        _ = try ledger.reserve(usdc(session, 10_000), limits: limits, now: t0)
        let almost = t0.addingTimeInterval(86_399) // 24 h - 1 s later: still inside the window
        #expect(reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(session, 1), limits: limits, now: almost) }?.code
            == "budget.daily_exceeded")
        let later = t0.addingTimeInterval(86_401)
        let u = try ledger.usage(sessionID: session, host: HostName("api.example.com"), allHosts: true, now: later)
        #expect(u.dailySpent.value == 0 && u.hostSpent(HostName("api.example.com")).value == 0)
        #expect(u.sessionSpent.value == 10_000, "the old row still counts in its session")
        _ = try ledger.reserve(usdc(session, 10_000), limits: limits, now: later)
        let e = reserveError { () throws(LedgerReserveError) in
            try ledger.reserve(usdc(session, 90_000), limits: BudgetLimits(session: Micros(100_000)), now: later)
        }
        #expect(e?.refusal?.spent.value == 20_000)
    }

    func unknownSessionAndBadAmountsAreLedgerErrors() throws {
        let e1 = reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc("s_nope", 1), limits: .none, now: t0) }
        #expect(e1 == .ledger(.unknownSession("s_nope")))
        var p = usdc(session, -1)
        #expect(reserveError { () throws(LedgerReserveError) in try ledger.reserve(p, limits: .none, now: t0) }?.code == "ledger.bad_amount")
        p = usdc(session, 1); p.decimals = 37
        #expect(reserveError { () throws(LedgerReserveError) in try ledger.reserve(p, limits: .none, now: t0) }?.code == "ledger.bad_amount")
    }

    func sessionsAndQueries() throws {
        let s2 = try ledger.startSession(kind: "fetch", label: nil, clientName: nil, now: t0.addingTimeInterval(10))
        #expect(s2.id.count == 14 && s2.id.hasPrefix("s_"))
        #expect(s2.id.dropFirst(2).allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        #expect(s2.pid == getpid())
        try ledger.setClientName(sessionID: s2.id, name: "claude-code")
        #expect(try ledger.session(id: s2.id)?.clientName == "claude-code")
        #expect(ledgerError { () throws(LedgerError) in try ledger.setClientName(sessionID: "s_x", name: "n") } == .unknownSession("s_x"))
        #expect(try ledger.sessions().map(\.id) == [s2.id, session])
        #expect(s2.machine == MachineName.current && s2.machine != nil)

        let a = try ledger.reserve(usdc(session, 1), limits: .none, now: t0)
        let b = try ledger.reserve(usdc(s2.id, 2, host: "b.example"), limits: .none, now: t0.addingTimeInterval(60))
        let c = try ledger.reserve(usdc(s2.id, 3), limits: .none, now: t0.addingTimeInterval(120))
        try ledger.markFailed(id: c.id, error: "402", httpStatus: 402, now: t0)
        #expect(try ledger.payments(PaymentFilter()).map(\.id) == [c.id, b.id, a.id])
        #expect(try ledger.payments(PaymentFilter(sessionID: s2.id)).map(\.id) == [c.id, b.id])
        #expect(try ledger.payments(PaymentFilter(host: HostName("B.example"))).map(\.id) == [b.id])
        #expect(try ledger.payments(PaymentFilter(status: .failed)).first?.httpStatus == 402)
        #expect(try ledger.payments(PaymentFilter(since: t0.addingTimeInterval(60))).map(\.id) == [c.id, b.id])
        #expect(try ledger.payments(PaymentFilter(limit: 1)).map(\.id) == [c.id])
    }
}
