import Foundation
import PurseCore

/// What the report needs of a calendar day beyond PurseCore's arithmetic: weeks, months and the
/// labels on its charts.
extension CivilDate {
    /// The UTC day that contains `date`.
    init(_ date: Date) {
        self.init(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
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
