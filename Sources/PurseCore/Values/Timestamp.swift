/// An RFC 3339 / ISO 8601 timestamp as servers write them (`2026-11-30T08:48:07.680564Z`,
/// `2026-11-30T10:48:07+02:00`), read into Unix seconds without Foundation.
///
/// Sign-in challenges carry their `issuedAt`, `expirationTime` and `notBefore` this way; Purse
/// compares them with its own clock before it agrees to sign, and never re-formats them (the
/// signed EIP-4361 text must repeat the server's exact characters).
public enum Timestamp {
    /// Unix seconds (the fraction dropped) of an RFC 3339 date-time, or nil when the text is not
    /// one: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `t`/`z` and a space for `T` accepted.
    public static func unixSeconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b.count <= 64 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for c in b[from..<(from + count)] {
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let year = digits(0, 4), b[4] == 0x2d, let month = digits(5, 2), b[7] == 0x2d, let day = digits(8, 2),
              [0x54, 0x74, 0x20].contains(b[10]),
              let hour = digits(11, 2), b[13] == 0x3a, let minute = digits(14, 2), b[16] == 0x3a, let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2e {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case 0x5a, 0x7a:
            i += 1
        case 0x2b, 0x2d:
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3a, let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 0x2b ? 1 : -1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate(year: year, month: month, day: day).dayNumber
        return Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + min(second, 59)) - Int64(offset)
    }
}
