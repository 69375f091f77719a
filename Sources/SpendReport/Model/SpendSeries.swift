import Foundation
import Ledger

/// Spend over time: settled and pending budget micros per day, week or month.
///
/// Days while the window is at most 62 days long, weeks up to 62 weeks, months beyond, so the
/// chart never has more than about 62 bars whatever the ledger's age.
public struct SpendSeries: Sendable, Equatable {
    /// The length of one bar.
    public enum Period: String, Sendable {
        /// One UTC day per bar (windows up to 62 days).
        case day
        /// One ISO week per bar, starting on Monday (windows up to 62 weeks).
        case week
        /// One calendar month per bar (longer windows).
        case month
    }

    /// One bar.
    public struct Bucket: Sendable, Equatable {
        /// The first day of the bucket (UTC), `2026-11-30`.
        public var start: String
        /// The label under the bar (`Nov 30`, `w. Nov 23`, `Nov 2026`).
        public var label: String
        /// Micros of settled payments created in the bucket.
        public var settledMicros: Int64
        /// Micros of reserved, sent and unknown payments created in the bucket.
        public var pendingMicros: Int64
        /// How many payments (released ones included) were created in the bucket.
        public var count: Int
    }

    /// The period of each bucket.
    public let period: Period
    /// The buckets, oldest first, with no gaps (empty periods are zero).
    public let buckets: [Bucket]

    /// Buckets `payments` from the window's first day (or the oldest payment's) to `now`'s day.
    init(payments: [PaymentRecord], window: ReportWindow) {
        let lastDay = CivilDate(window.now)
        var firstDay = window.since.map { CivilDate($0) } ?? lastDay
        if window.since == nil, let oldest = payments.map(\.createdAt).min() {
            firstDay = min(firstDay, CivilDate(oldest))
        }
        firstDay = min(firstDay, lastDay)
        let span = lastDay.dayNumber - firstDay.dayNumber + 1
        let period: Period = span <= 62 ? .day : span <= 62 * 7 ? .week : .month
        self.period = period

        // The start day of each bucket, and a map from any day number to its bucket index.
        var starts: [CivilDate] = []
        switch period {
        case .day:
            starts = (firstDay.dayNumber...lastDay.dayNumber).map { CivilDate(dayNumber: $0) }
        case .week:
            var d = firstDay.weekStart
            while d <= lastDay { starts.append(d); d = CivilDate(dayNumber: d.dayNumber + 7) }
        case .month:
            var d = firstDay.monthStart
            while d <= lastDay { starts.append(d); d = d.nextMonthStart }
        }
        let origin = starts.first?.dayNumber ?? firstDay.dayNumber
        // A payment dated after `now` (another machine's clock) goes in the last bar, so the bars
        // always add up to the report's totals.
        func index(of rawDay: Int) -> Int {
            let day = min(max(rawDay, origin), lastDay.dayNumber)
            switch period {
            case .day: return day - origin
            case .week: return (day - origin) / 7
            case .month:
                // Binary search over month starts (at most a few hundred).
                var lo = 0, hi = starts.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if starts[mid].dayNumber <= day { lo = mid } else { hi = mid - 1 }
                }
                return lo
            }
        }

        var settled = [Int64](repeating: 0, count: starts.count)
        var pending = [Int64](repeating: 0, count: starts.count)
        var counts = [Int](repeating: 0, count: starts.count)
        // Read fields in place (no copy of each record: a record holds a dozen strings).
        payments.withUnsafeBufferPointer { rows in
            for r in rows.indices {
                let i = index(of: CivilDate(rows[r].createdAt).dayNumber)
                counts[i] += 1
                switch rows[r].status {
                case .settled: settled[i] &+= rows[r].payment.micros.value
                case .reserved, .sent, .unknown: pending[i] &+= rows[r].payment.micros.value
                case .failed: break
                }
            }
        }
        buckets = starts.indices.map { i in
            let s = starts[i]
            let label: String = switch period {
            case .day: s.short
            case .week: "w. " + s.short
            case .month: s.monthLabel
            }
            return Bucket(start: s.iso, label: label, settledMicros: settled[i], pendingMicros: pending[i], count: counts[i])
        }
    }

    /// The tallest bar, settled plus pending, in micros.
    public var maxMicros: Int64 { buckets.map { $0.settledMicros &+ $0.pendingMicros }.max() ?? 0 }
}
