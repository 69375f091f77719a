import Foundation

/// A UTC calendar day, computed with integer arithmetic.
///
/// The report buckets up to hundreds of thousands of payments by day; `Calendar` costs
/// microseconds per call, while this is a handful of integer operations (Howard Hinnant's
/// `civil_from_days`), so bucketing stays a small part of the 2-second budget for 100,000 rows.
struct CivilDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (UTC); negative before it.
    let dayNumber: Int

    /// The day `dayNumber` days after 1970-01-01.
    init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The UTC day that contains `date`.
    init(_ date: Date) {
        dayNumber = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// The day of `year`-`month`-`day` (proleptic Gregorian).
    init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146_097 + doe - 719_468
    }

    /// Year, month (1–12) and day of month (1–31).
    var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }

    /// The Monday of this day's ISO week.
    var weekStart: CivilDate { CivilDate(dayNumber: dayNumber - weekday) }

    /// The first day of this day's month.
    var monthStart: CivilDate {
        let c = components
        return CivilDate(year: c.year, month: c.month, day: 1)
    }

    /// The first day of the next month.
    var nextMonthStart: CivilDate {
        let c = components
        return c.month == 12 ? CivilDate(year: c.year + 1, month: 1, day: 1) : CivilDate(year: c.year, month: c.month + 1, day: 1)
    }

    /// Midnight UTC at the start of this day.
    var start: Date { Date(timeIntervalSince1970: Double(dayNumber) * 86_400) }

    /// `2026-11-30`.
    var iso: String {
        let c = components
        return "\(Self.pad(c.year, 4))-\(Self.pad(c.month, 2))-\(Self.pad(c.day, 2))"
    }

    /// `Nov 30`.
    var short: String {
        let c = components
        return "\(Self.monthNames[c.month - 1]) \(c.day)"
    }

    /// `Nov 2026`.
    var monthLabel: String {
        let c = components
        return "\(Self.monthNames[c.month - 1]) \(c.year)"
    }

    static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `2026-11-30 14:03:05` (UTC), to the second.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CivilDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let s = seconds - day.dayNumber * 86_400
        return "\(day.iso) \(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))"
    }

    /// Zero-pads a non-negative number to `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
