import Testing
@testable import PurseCore

@Suite struct AmountFormatTests {
    @Test(arguments: [
        (Int64(10_000), 6, 0, "0.01"), (1_000_000, 6, 0, "1"), (1_000_000, 6, 2, "1.00"), (10_000, 6, 2, "0.01"),
        (1_234_567, 6, 2, "1.234567"), (1, 6, 2, "0.000001"), (0, 6, 0, "0"), (0, 6, 2, "0.00"), (5, 0, 0, "5"),
        (5, 0, 2, "5.00"), (1, 18, 0, "0.000000000000000001"), (Int64.max, 18, 0, "9.223372036854775807"),
        (-10_000, 6, 2, "-0.01"), (Int64.min, 0, 0, "-9223372036854775808"), (120, 2, 0, "1.2"),
    ])
    func decimalString(atomic: Int64, decimals: Int, minFraction: Int, expected: String) {
        #expect(AmountFormat.decimalString(atomic: atomic, decimals: decimals, minFractionDigits: minFraction) == expected)
    }

    @Test(arguments: [
        ("0.01", 6, Int64(10_000)), ("1", 6, 1_000_000), ("1.5", 6, 1_500_000), ("0.000001", 6, 1), ("007", 0, 7),
        ("9.223372036854775807", 18, Int64.max), ("0", 36, 0), ("12.340000", 6, 12_340_000),
    ])
    func parses(text: String, decimals: Int, expected: Int64) throws {
        #expect(try AmountFormat.atomic(fromDecimal: text, decimals: decimals) == expected)
    }

    @Test(arguments: [
        ("", 6, "amount.empty"), ("-1", 6, "amount.invalid"), ("+1", 6, "amount.invalid"), ("1e3", 6, "amount.invalid"),
        (" 1", 6, "amount.invalid"), ("1.", 6, "amount.invalid"), (".5", 6, "amount.invalid"), ("1.2.3", 6, "amount.invalid"),
        ("1,5", 6, "amount.invalid"), ("٣", 6, "amount.invalid"), ("0.0000001", 6, "amount.too_precise"),
        ("1.5", 0, "amount.too_precise"), ("9.223372036854775808", 18, "amount.overflow"),
        ("99999999999999999999", 0, "amount.overflow"), ("1", 37, "amount.bad_decimals"), ("1", -1, "amount.bad_decimals"),
    ])
    func refuses(text: String, decimals: Int, code: String) {
        do {
            let v = try AmountFormat.atomic(fromDecimal: text, decimals: decimals)
            Issue.record("\"\(text)\" parsed as \(v)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func roundTrips() throws {
        for atomic in [Int64(0), 1, 9, 10, 999_999, 1_000_000, 123_456_789_012, Int64.max] {
            for decimals in [0, 2, 6, 18, 36] {
                let text = AmountFormat.decimalString(atomic: atomic, decimals: decimals)
                #expect(try AmountFormat.atomic(fromDecimal: text, decimals: decimals) == atomic)
            }
        }
    }
}
