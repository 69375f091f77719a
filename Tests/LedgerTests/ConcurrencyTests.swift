import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger
import PostgresClient

/// Several `Ledger` instances (separate SQLite connections, as separate processes would have)
/// reserving against one file at the same time.
@Suite(.serialized) struct ConcurrencyTests {
    /// What the writers saw.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var reserved = 0
        private(set) var refused = 0
        private(set) var otherErrors: [String] = []
        private(set) var worstWait: Double = 0

        func record(_ outcome: Result<Void, LedgerReserveError>, seconds: Double) {
            lock.lock(); defer { lock.unlock() }
            worstWait = max(worstWait, seconds)
            switch outcome {
            case .success: reserved += 1
            case let .failure(e) where e.code == "budget.daily_exceeded": refused += 1
            case let .failure(e): otherErrors.append(e.description)
            }
        }
    }

    /// Runs `writers` threads, each with its own `Ledger` on `path`, each making `attempts`
    /// reservations of 10_000 micros; returns the tally and the elapsed wall time. The writers and
    /// the wait for them are off Swift's cooperative pool (`offPool`): a test that blocked one of
    /// its two threads for the race's seconds starved the timeouts of other suites.
    private func race(_ fixture: LedgerFixture, writers: Int, attempts: Int, limits: BudgetLimits) async throws -> (Tally, Double) {
        let ledgers = try (0..<writers).map { _ in try fixture.another() }
        let sessions = try ledgers.map { try $0.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id }
        let tally = Tally()
        let start = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        for w in 0..<writers {
            let ledger = ledgers[w], session = sessions[w]
            let thread = Thread {
                start.wait()
                for i in 0..<attempts {
                    let began = DispatchTime.now().uptimeNanoseconds
                    let outcome: Result<Void, LedgerReserveError>
                    do throws(LedgerReserveError) {
                        _ = try ledger.reserve(usdc(session, 10_000, nonce: w * 1000 + i), limits: limits, now: t0)
                        outcome = .success(())
                    } catch { outcome = .failure(error) }
                    tally.record(outcome, seconds: Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
                }
                done.signal()
            }
            thread.start()
        }
        let began = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<writers { start.signal() }
        await offPool { for _ in 0..<writers { done.wait() } }
        return (tally, Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
    }

    @Test(arguments: LedgerBackend.tested)
    func fourWritersCannotOverspendTheDailyBudget(_ backend: LedgerBackend) async throws {
        let fixture = try LedgerFixture(backend)
        let (tally, elapsed) = try await race(fixture, writers: 4, attempts: 25, limits: BudgetLimits(daily: Micros(300_000)))
        #expect(tally.otherErrors == [], "no busy or other errors")
        #expect(tally.reserved == 30)
        #expect(tally.refused == 70)
        let check = try fixture.another()
        #expect(try check.payments(PaymentFilter()).count == 30)
        #expect(try check.usage(sessionID: "-", host: nil, allHosts: true, now: t0).dailySpent.value == 300_000)
        note(String(format: "ledger contention (\(backend)): 4 writers x 25 attempts (30 reserved, 70 refused) in %.3f s, worst wait %.1f ms",
                    elapsed, tally.worstWait * 1000))
    }

    /// Throughput, printed for the record and never asserted (shared CI machines vary too much).
    @Test(arguments: LedgerBackend.tested)
    func throughputOneAndFourWriters(_ backend: LedgerBackend) async throws {
        for writers in [1, 4] {
            let fixture = try LedgerFixture(backend)
            let attempts = 200 / writers
            let (tally, elapsed) = try await race(fixture, writers: writers, attempts: attempts, limits: .none)
            #expect(tally.otherErrors == [])
            #expect(tally.reserved == writers * attempts)
            note(String(format: "ledger throughput (\(backend)): %d writer(s), %d reservations, %.0f reservations/s, worst wait %.1f ms (durable)",
                        writers, tally.reserved, Double(tally.reserved) / elapsed, tally.worstWait * 1000))
        }
    }

    @Test func concurrentFirstOpenMigratesOnce() async throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("purse.db")
        let errors = Tally()
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            Thread {
                do throws(LedgerError) { _ = try SQLiteLedger(path: path) } catch {
                    errors.record(.failure(.ledger(error)), seconds: 0)
                }
                done.signal()
            }.start()
        }
        await offPool { for _ in 0..<4 { done.wait() } }
        #expect(errors.otherErrors == [])
        #expect(try openLedger(path).queryString("SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v3,v4,v5,v6,v7,v8,v9,v10")
    }

    /// Eight processes' worth of connections opening one new PostgreSQL ledger at once: the
    /// migrations run exactly once and nobody fails.
    @Test(.enabled(if: LedgerBackend.tested.contains(.postgresql)))
    func concurrentFirstOpenMigratesOncePostgres() async throws {
        let scratch = try ScratchSchema(base: try #require(TestCluster.url))
        defer { withExtendedLifetime(scratch) {} } // Dropped only when the test is over.
        let (admin, schema, url) = (scratch.admin, scratch.name, scratch.url)
        let errors = Tally()
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<8 {
            Thread {
                do throws(LedgerError) { (try PostgresLedger(url: url, password: nil)).close() } catch {
                    errors.record(.failure(.ledger(error)), seconds: 0)
                }
                done.signal()
            }.start()
        }
        await offPool { for _ in 0..<8 { done.wait() } }
        #expect(errors.otherErrors == [])
        let applied = try await offPool { try admin.query("SELECT string_agg(id, ',' ORDER BY id) FROM \(schema).purse_migration").scalar }
        #expect(applied == "v1,v2,v3")
    }
}
