import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet

/// A paid request against a fast local seller vs its honest floor, measured in the same loop:
/// two plain round trips to the same seller, the seller's own verification, and one fsync on
/// the disk the ledger is on (the durable reservation's, which must precede the signature).
/// Then a timeline of the request, from the same driver wrapped in timing decorators. The
/// seller's own time per answer (X-Seller-Micros) splits what lies beyond the floor between the
/// seller (its offer, reading the paid request, its receipt) and Purse.
///
/// With `idleGapMicros`, each paid request of the measured loop follows that long an idle pause
/// (after the floor's round trips, outside every timing): what an MCP client's turn between two
/// calls leaves the machine. On this project's VM a pause of 0.3 ms or more makes the next
/// request slower (waking cores, the seller and the disk's flush path), so this says how much
/// of what MCP adds over the warm loop is that pause rather than the server's work.
struct EndToEndBench {
    let seller: String
    let runs: Int
    var idleGapMicros: UInt32 = 0
    /// Whether the ledger is readied as `purse serve` readies it (`prepareForPayments`); false
    /// (`--unprepared-log`): as a one-shot command opens it, the log growing with its commits.
    var preparesLedger = true

    func run() async throws -> JSONValue {
        guard !seller.isEmpty else { throw PurseError("bench.usage", "e2e needs --seller URL (bench/fast_seller.py)") }
        let rig = try BenchRig()
        defer { rig.cleanup() }
        // As `purse serve` does at start: the log lengthened once, before any payment.
        if preparesLedger { rig.ledger.prepareForPayments() }
        QueuedLedgerWrites.drain()
        let http = CurlHTTPClient()
        let driver = PaymentDriver(http: http, ledger: rig.ledger, signer: KeySigner(key: rig.key), config: rig.config, sessionID: rig.session.id)
        let sync = try FsyncProbe(directory: rig.dir.path)
        defer { sync.remove() }
        // The same two plain round trips without an HTTP library: what libcurl adds to the floor.
        let raw = try RawHTTPProbe(url: seller + "/plain")
        // The reservation's own sync of the log, timed where the ledger makes it: beside the
        // probe's one-page fdatasync, what the bigger commit (its frames, a growing file) costs.
        // The log syncs of one paid request's ledger calls (the reservation's), summed.
        let logSyncs = Locked(0.0)
        let syncLog = rig.ledger.syncLog
        rig.ledger.syncLog = { db, path in
            let t0 = nowMs()
            defer { logSyncs.withLock { $0 += nowMs() - t0 } }
            try syncLog(db, path)
        }
        defer { rig.ledger.syncLog = syncLog }
        var paid = [Double](), floor = [Double](), verify = [Double](), fsyncs = [Double](), reservationSyncs = [Double]()
        var rawFloor = [Double]()
        // The seller's own time per request (X-Seller-Micros): a plain answer, the 402 with its
        // offer, and the paid answer (verification and receipt).
        var sellerPlain = [Double](), sellerOffer = [Double](), sellerPaid = [Double]()
        for i in 0..<(runs + 10) {
            let r0 = nowMs()
            try raw.roundTrip()
            try raw.roundTrip()
            let rawTrips = nowMs() - r0
            let t0 = nowMs()
            let plain = try await http.send(HTTPRequest(url: seller + "/plain"))
            _ = try await http.send(HTTPRequest(url: seller + "/plain"))
            let floorEnd = nowMs()
            if idleGapMicros > 0 { usleep(idleGapMicros) }
            let t1 = nowMs()
            logSyncs.withLock { $0 = 0 }
            let result = await driver.fetch(HTTPRequest(url: seller + "/paid"))
            let t2 = nowMs()
            let logSync = logSyncs.withLock { $0 }
            // The settled mark was queued behind the answer: let it finish before the floor's
            // round trips and the fsync probe, so that it slows neither.
            QueuedLedgerWrites.drain()
            let f = try sync.once()
            guard case .paid = result.outcome.kind else { throw PurseError("bench.unpaid", "the fast seller did not grant: \(result.summary)") }
            if i < 10 { continue }
            floor.append(floorEnd - t0)
            rawFloor.append(rawTrips)
            paid.append(t2 - t1)
            fsyncs.append(f)
            reservationSyncs.append(logSync)
            if let v = result.response?.headers["X-Verify-Micros"], let us = Double(v) { verify.append(us / 1_000) }
            let offer = try await http.send(HTTPRequest(url: seller + "/paid"))
            if let ms = Self.sellerMs(plain), let offerMs = Self.sellerMs(offer), let paidMs = Self.sellerMs(result.response) {
                sellerPlain.append(ms)
                sellerOffer.append(offerMs)
                sellerPaid.append(paidMs)
            }
        }
        let p = Stats(paid), f = Stats(floor), v = Stats(verify), s = Stats(fsyncs)
        let honest = f.median + v.median + s.median
        // What the seller does beyond the floor's plain answers and its verification: building
        // the 402's offer, reading the bigger paid request, the receipt. Not Purse's time, but
        // inside its paid request.
        let (sp, so, spaid) = (Stats(sellerPlain).median, Stats(sellerOffer).median, Stats(sellerPaid).median)
        let sellerExtra = max(0, so - sp) + max(0, spaid - sp - v.median)
        let ownShare = max(0, p.median - honest - sellerExtra)
        // The same without any fdatasync: each request less its reservation's own log sync, so
        // that what is left is Purse's CPU and wake-ups whatever the disk did.
        let unsynced = Stats(zip(paid, reservationSyncs).map { $0 - $1 }).median
        let ownUnsynced = max(0, unsynced - f.median - v.median - sellerExtra)
        return [
            "runs": .integer(runs),
            "idle_gap_us": .integer(Int(idleGapMicros)),
            "log_preallocated": .bool(preparesLedger),
            "purse_paid_request_ms": p.summary,
            "floor_two_plain_round_trips_ms": f.summary,
            "floor_two_raw_socket_round_trips_ms": Stats(rawFloor).summary,
            "seller_verify_ms": ["median": .number(fmt(v.median))],
            "fsync_ms": s.summary,
            "reservation_log_sync_ms": Stats(reservationSyncs).summary,
            "ratio_to_floor_plus_verify": .number(String(format: "%.3f", p.median / max(0.001, f.median + v.median))),
            "ratio_to_honest_floor": .number(String(format: "%.3f", p.median / max(0.001, honest))),
            "seller_ms": ["plain": .number(fmt(sp)), "offer_402": .number(fmt(so)), "paid_200": .number(fmt(spaid)),
                          "extra_beyond_floor": .number(fmt(sellerExtra))],
            "purse_own_ms": .number(fmt(ownShare)),
            "purse_own_share_of_honest_floor": .number(String(format: "%.3f", ownShare / max(0.001, honest))),
            "purse_own_without_syncs_ms": .number(fmt(ownUnsynced)),
            "timeline_ms": try await timeline(rig: rig),
        ]
    }

    /// The seller's own time for an answer (its X-Seller-Micros header), in milliseconds.
    private static func sellerMs(_ response: HTTPResponse?) -> Double? {
        response?.headers["X-Seller-Micros"].flatMap(Double.init).map { $0 / 1_000 }
    }

    /// The median of each span of a paid request (and of the driver's own work between them).
    private func timeline(rig: BenchRig) async throws -> JSONValue {
        let line = Timeline()
        let http = TimedHTTPClient(inner: CurlHTTPClient(), timeline: line)
        let ledger = TimedLedger(inner: rig.ledger, timeline: line)
        let driver = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: rig.key), config: rig.config, sessionID: rig.session.id)
        var names: [String] = []
        var samples: [String: [Double]] = [:]
        var totals: [Double] = []
        for i in 0..<(min(runs, 100) + 10) {
            line.begin()
            let t0 = nowMs()
            let result = await driver.fetch(HTTPRequest(url: seller + "/paid"))
            let total = nowMs() - t0
            // As in the measured loop: the queued writes finish between requests, so that the
            // next reservation does not wait behind them.
            QueuedLedgerWrites.drain()
            guard case .paid = result.outcome.kind else { throw PurseError("bench.unpaid", "the fast seller did not grant: \(result.summary)") }
            if i < 10 { continue }
            totals.append(total)
            for (name, ms) in line.segments(end: total) {
                if samples[name] == nil { names.append(name) }
                samples[name, default: []].append(ms)
            }
        }
        var spans: [JSONValue] = names.map { name in
            let s = Stats(samples[name] ?? [])
            return ["span": .string(name), "median": .number(fmt(s.median)), "p99": .number(fmt(s.p99)), "n": .integer(s.samples.count)]
        }
        spans.append(["span": "whole request", "median": .number(fmt(Stats(totals).median)), "p99": .number(fmt(Stats(totals).p99))])
        return .array(spans)
    }
}
