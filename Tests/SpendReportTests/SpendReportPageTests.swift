import Foundation
import Ledger
import PurseCore
import Testing
@testable import SpendReport

@Suite struct SpendReportPageTests {
    static let explorer = BlockExplorer(localNetworks: ["eip155:84532"])

    func page(_ payments: [PaymentRecord] = Fixtures.mixed, since: Date? = nil, limits: ReportLimits = ReportLimits()) -> String {
        SpendReportPage.html(SpendReportModel(log: Fixtures.log(payments), window: ReportWindow(since: since, now: Fixtures.now),
                                              explorer: Self.explorer, limits: limits))
    }

    @Test func totalsInThePageEqualTheSpendLogJSON() throws {
        let html = page()
        let json = Fixtures.log().json()
        let totals = try #require(json["totals"])
        func amount(_ id: String) -> String? { HTMLScan.attributes("data-amount", in: HTMLScan.element(id: id, in: html) ?? "").first }
        #expect(amount("total-settled") == totals["settled"]?.stringValue)
        #expect(amount("total-pending") == totals["pending"]?.stringValue)
        #expect(amount("total-released") == totals["released"]?.stringValue)
        #expect(html.contains("id=\"total-count\" data-count=\"7\""))
        // Per host: each row's settled cell equals the JSON's byHost entry.
        guard case let .array(byHost)? = totals["byHost"] else { Issue.record("no byHost"); return }
        for entry in byHost {
            let host = try #require(entry["host"]?.stringValue)
            let row = try #require(html.range(of: "<tr data-host=\"\(host)\" data-kind="))
            let tail = String(html[row.lowerBound...].prefix { $0 != "\n" })
            #expect(HTMLScan.attributes("data-amount", in: tail) == [entry["settled"], entry["pending"], entry["released"]].compactMap { $0?.stringValue })
        }
        #expect(html.contains("0.07 USDC"))
    }

    @Test func everyStatusShowsInItsPlace() {
        let html = page()
        // The unknown and the sent payment are in the attention box, which says what to do.
        let attention = html[html.range(of: "id=\"attention\"")!.lowerBound..<html.range(of: "id=\"summary\"")!.lowerBound]
        #expect(attention.contains("2 payments not resolved (1 unknown, 1 sent)"))
        #expect(attention.contains("<code>purse reconcile</code>"))
        #expect(attention.contains("data-id=\"6\" data-status=\"unknown\""))
        #expect(attention.contains("data-id=\"5\" data-status=\"sent\""))
        #expect(!attention.contains("data-id=\"4\""))
        // The released (refused by the facilitator) one is in the table as released, not in spend.
        #expect(html.contains("data-id=\"4\" data-status=\"failed\""))
        #expect(html.contains("<span class=\"badge s-failed\" title=\"status failed\">released</span>"))
        #expect(html.contains("<tr class=\"unknown\" data-id=\"6\""))
        // The v1 payment is tagged.
        let v1 = html[html.range(of: "<tr data-id=\"3\"")!.lowerBound...].prefix { $0 != "\n" }
        #expect(v1.contains("data-version=\"1\"") && v1.contains("x402 v1"))
    }

    @Test func nothingPendingSaysSo() {
        let html = page([Fixtures.payment(1)])
        #expect(html.contains("id=\"attention\" class=\"ok\" data-unresolved=\"0\""))
    }

    @Test func mcpToolsRenderAsToolsAndLinkNothing() {
        let html = page()
        let row = String(html[html.range(of: "<tr data-host=\"mcp:weather\"")!.lowerBound...].prefix { $0 != "\n" })
        #expect(row.contains("data-kind=\"tool\""))
        #expect(row.contains(">weather</span><span class=\"kind\">MCP tool</span>"))
        #expect(!row.contains("<a "))
        #expect(PayeeLabel("mcp:weather").kind == .tool && PayeeLabel("mcp:weather").name == "weather")
        #expect(PayeeLabel("mcp:").kind == .host)
        #expect(PayeeLabel("api.example.com").kind == .host)
    }

    @Test func explorerLinksOnlyWhereKnownAndNotLocal() {
        let base = Fixtures.payment(1, network: "eip155:8453")
        let local = Fixtures.payment(2, network: "eip155:84532")
        let odd = Fixtures.payment(3, network: "eip155:999999")
        let html = page([base, local, odd])
        #expect(html.contains("<a href=\"https://basescan.org/tx/\(Fixtures.txHash(1))\""))
        #expect(!html.contains("/tx/\(Fixtures.txHash(2))"))
        #expect(!html.contains("/tx/\(Fixtures.txHash(3))"))
        #expect(html.contains("Base Sepolia</span> <span class=\"note\">(local)</span>"))
        // Every link in the page goes to an explorer.
        let links = HTMLScan.attributes("href", in: html)
        #expect(links == ["https://basescan.org/tx/\(Fixtures.txHash(1))"])
    }

    @Test func hostileTextIsEscaped() {
        let evil = Fixtures.payment(1, host: "<script>alert(1)</script>\"onload=x", status: .unknown,
                                    tx: "0x\"><img src=http://evil.example/x>", error: "<b>boom</b>\u{1b}[31m")
        let html = page([evil])
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>boom"))
        #expect(!html.contains("\u{1b}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=x"))
        #expect(HTMLScan.fetchedResources(in: html).isEmpty)
    }

    @Test func noExternalFetchAndNoScript() {
        for html in [page(), page([]), page(since: Fixtures.now.addingTimeInterval(-86_400))] {
            #expect(HTMLScan.fetchedResources(in: html) == [])
            #expect(!html.lowercased().contains("<script"))
            #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        }
    }

    @Test func emptyStateIsFriendlyAndKeepsTheLimits() {
        let html = page([])
        #expect(html.contains("No payments yet."))
        #expect(html.contains("id=\"total-settled\" data-amount=\"0\""))
        #expect(!html.contains("id=\"payments\""))
        #expect(html.contains("data-limit=\"perRequest\""))
        let since = page([], since: Fixtures.now.addingTimeInterval(-7 * 86_400))
        #expect(since.contains("No payments in this period."))
    }

    @Test func chartHasLabelledAxesAndOneBarPerDay() {
        let html = page()
        #expect(html.contains(">USDC per day</text>"))
        #expect(html.contains(">Day (UTC)</text>"))
        #expect(HTMLScan.attributes("data-start", in: html) == ["2026-11-28", "2026-11-29", "2026-11-30"])
        #expect(html.contains(">Nov 30</text>"))
        #expect(html.contains(">0.00</text>"))
    }

    @Test func tableIsCappedWithANote() {
        let many = (1...30).map { Fixtures.payment(Int64(31 - $0), ago: Double($0) * 60) }
        let html = page(many, limits: ReportLimits(paymentRows: 10))
        #expect(html.contains("id=\"table-capped\" data-shown=\"10\" data-total=\"30\""))
        #expect(html.contains("Showing the 10 newest of 30 payments"))
        #expect(html.components(separatedBy: "<tr data-id=").count - 1 == 10)
    }

    /// 100,000 payments make a page under 2 MiB with the default caps. (The time to generate it
    /// is measured by `scripts/bench` (`purse-bench report`), not asserted here.)
    @Test func hundredThousandRowsStayUnderTwoMiB() {
        let hosts = (0..<300).map { "seller-\($0).example.com" } + ["mcp:weather", "mcp:search"]
        let statuses: [PaymentStatus] = [.settled, .settled, .settled, .settled, .failed, .unknown, .sent]
        var payments: [PaymentRecord] = []
        payments.reserveCapacity(100_000)
        for i in 0..<100_000 {
            let session = i % 2 == 0 ? Fixtures.serve.id : Fixtures.fetch.id
            let atomic = Int64(1_000 + i % 50_000)
            payments.append(Fixtures.payment(Int64(100_000 - i), session: session, host: hosts[i % hosts.count], atomic: atomic,
                                             status: statuses[i % statuses.count], ago: Double(i) * 25))
        }
        let html = page(payments)
        let size = html.utf8.count
        #expect(size < 2 * 1024 * 1024, "size \(size)")
        #expect(html.contains("Showing the 1,000 newest of 100,000 payments"))
        #expect(html.contains("more hosts and tools"))
        #expect(HTMLScan.fetchedResources(in: html) == [])
    }
}
