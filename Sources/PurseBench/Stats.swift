import Foundation
import PurseCore

/// Median and p99 of a set of durations, in milliseconds.
struct Stats {
    let samples: [Double]

    init(_ samples: [Double]) { self.samples = samples.sorted() }

    var median: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }
    var max: Double { samples.last ?? 0 }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let i = Swift.min(samples.count - 1, Swift.max(0, Int((Double(samples.count - 1) * p).rounded())))
        return samples[i]
    }

    var json: [String: Double] { ["median": median, "p99": p99, "max": max, "n": Double(samples.count)] }

    /// `{"median", "p99"}` in milliseconds with four decimals: how every bench row is written.
    var summary: JSONValue { ["median": .number(fmt(median)), "p99": .number(fmt(p99))] }

    /// Each named stage's `summary`, from per-stage samples (an unmeasured stage reads as 0).
    static func stages(_ samples: [String: [Double]], names: [String]) -> JSONValue {
        var out = JSONObject()
        for name in names { out[name] = Stats(samples[name] ?? []).summary }
        return .object(out)
    }
}

/// A monotonic clock in milliseconds.
@inline(__always) func nowMs() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1_000 + Double(ts.tv_nsec) / 1_000_000
}

/// Times `body` `runs` times after `warmup` untimed runs.
func measure(runs: Int, warmup: Int = 20, _ body: () throws -> Void) rethrows -> Stats {
    for _ in 0..<warmup { try body() }
    var out = [Double]()
    out.reserveCapacity(runs)
    for _ in 0..<runs {
        let t = nowMs()
        try body()
        out.append(nowMs() - t)
    }
    return Stats(out)
}

/// The per-stage timings of a client-work bench: each stage's samples, in run order, with the
/// samples of a warm-up run dropped again.
final class StageClock {
    /// The durable reservation's stage, named alike in every client-work bench (EIP-3009, upto,
    /// Solana), where a `time` call and the list of names must agree.
    static let durableReserve = "reserve (durable: log synced before it returns)"

    /// Each stage's durations (ms).
    private(set) var samples: [String: [Double]] = [:]
    private var runStart: [String: [Double]] = [:]

    /// Runs `body` and records its duration under `name`.
    func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let t = nowMs()
        let v = try body()
        samples[name, default: []].append(nowMs() - t)
        return v
    }

    /// Marks the start of a run, which `discardRun` can take back.
    func beginRun() { runStart = samples }

    /// Drops the samples recorded since `beginRun` (a warm-up run).
    func discardRun() { samples = runStart }

    /// The sum of the latest sample of each stage in `names` (the last run's share of them).
    func lastSum(_ names: [String]) -> Double { names.reduce(0) { $0 + (samples[$1]?.last ?? 0) } }
}
