import Foundation

/// How every backend stores time: Unix milliseconds (UTC by definition, whatever the server's or
/// machine's time zone), as integers, so rows compare and sum the same everywhere and copy
/// between backends without conversion.
enum LedgerTime {
    /// The length of the rolling daily window, in milliseconds.
    static let dayMillis: Int64 = 86_400_000

    /// Unix milliseconds, rounded to nearest so that `date(millis(d))` round-trips.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The instant of `millis`.
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
