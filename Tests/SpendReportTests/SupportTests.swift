import Foundation
import Testing
@testable import SpendReport

@Suite struct SupportTests {
    @Test func civilDatesMatchTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // 1600…2400: Foundation's Gregorian calendar turns Julian before October 1582.
        for day in stride(from: -135_000, through: 157_000, by: 97) {
            let d = CivilDate(dayNumber: day)
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: d.start)
            let mine = d.components
            #expect(mine.year == c.year && mine.month == c.month && mine.day == c.day)
            #expect(CivilDate(year: mine.year, month: mine.month, day: mine.day) == d)
            #expect((d.weekday + 1) % 7 + 1 == c.weekday)  // Calendar: 1 = Sunday
        }
    }

    @Test func timestampsAreUTC() {
        #expect(CivilDate.timestamp(Date(timeIntervalSince1970: 1_796_040_005.9)) == "2026-11-30 12:00:05")
        #expect(CivilDate.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00")
        #expect(CivilDate(Date(timeIntervalSince1970: -1)).iso == "1969-12-31")
        #expect(CivilDate(year: 2026, month: 12, day: 31).nextMonthStart.iso == "2027-01-01")
        #expect(CivilDate(year: 2026, month: 11, day: 30).weekStart.iso == "2026-11-30")  // a Monday
    }

    @Test func axisTicksAreRound() {
        #expect(AxisTicks.ticks(max: 0) == [0, 10_000])
        #expect(AxisTicks.ticks(max: 30_000) == [0, 10_000, 20_000, 30_000])
        #expect(AxisTicks.ticks(max: 1_250_000) == [0, 500_000, 1_000_000, 1_500_000])
        #expect(AxisTicks.ticks(max: 7) == [0, 2, 4, 6, 8])
    }

    @Test func escapingCoversTextAndAttributes() {
        #expect(HTMLText.escape("a<b>&\"'c") == "a&lt;b&gt;&amp;&quot;&#39;c")
        #expect(HTMLText.escape("x\u{0}\u{1b}\u{85}y\tz") == "x???y\tz")
        #expect(HTMLText.clip("abcdef", 4) == "abc…")
    }

    @Test func moneyTextMatchesTheSpendLog() {
        #expect(MoneyText.exact(10_000) == "0.01")
        #expect(MoneyText.exact(0) == "0")
        #expect(MoneyText.display(10_000, "USDC") == "0.01 USDC")
        #expect(MoneyText.display(1_234_567, "USDC") == "1.234567 USDC")
        #expect(SVGNumber.text(12.34) == "12.3" && SVGNumber.text(-0.04) == "0" && SVGNumber.text(5) == "5")
    }

    /// The no-external-fetch scan must fail on a page that fetches, or its passing means nothing.
    @Test(arguments: [
        "<img src=\"http://evil.example/x.png\">", "<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">",
        "<style>@import 'x.css';</style>", "<div style=\"background:url(https://t.example/p.gif)\">",
        "<script src=//cdn.example/x.js></script>", "<svg><image href=\"http://x.example/i.png\"/></svg>",
    ])
    func theFetchScanCatchesFetches(snippet: String) {
        #expect(!HTMLScan.fetchedResources(in: "<html><body>\(snippet)</body></html>").isEmpty)
    }

    @Test func theFetchScanAllowsLinksFragmentsAndData() {
        let html = "<a href=\"https://basescan.org/tx/0x1\">tx</a><rect fill=\"url(#pending-hatch)\"/><img src=\"data:image/png;base64,AA\">"
        #expect(HTMLScan.fetchedResources(in: html) == [])
    }
}
