import ArgumentParser
import Foundation
import Testing
@testable import PurseCLI

@Suite struct PurseCommandTests {
    @Test func everySubcommandOfTheBriefExistsAndServeIsTheDefault() {
        let names = PurseCommand.configuration.subcommands.map { $0._commandName }
        #expect(Set(names) == ["serve", "fetch", "quote", "discover", "upstreams", "spend-log", "budget", "balance", "address", "keygen", "init",
                              "doctor", "reconcile", "report", "demo", "approvals", "approve", "deny", "ledger"])
        #expect(PurseCommand.configuration.defaultSubcommand == ServeCommand.self)
    }

    @Test func discoverParsesItsFlags() throws {
        let cmd = try PurseCommand.parseAsRoot(["discover", "weather api", "--max-price", "0.05", "--network", "eip155:84532", "--type", "mcp", "--limit", "5", "--json"])
        let discover = try #require(cmd as? DiscoverCommand)
        #expect(discover.query == "weather api" && discover.maxPrice == "0.05" && discover.network == "eip155:84532")
        #expect(discover.type == "mcp" && discover.limit == 5 && discover.json)
    }

    @Test func fetchParsesCurlLikeFlags() throws {
        let cmd = try PurseCommand.parseAsRoot(["fetch", "http://127.0.0.1/x", "-X", "post", "-H", "A: b c", "-H", "X-Y:z", "-d", "{}", "--max-price", "0.05", "--json"])
        let fetch = try #require(cmd as? FetchCommand)
        let req = try fetch.request.request()
        #expect(req.method == "POST")
        #expect(req.headers["a"] == "b c" && req.headers["x-y"] == "z")
        #expect(req.body == Array("{}".utf8))
        #expect(fetch.maxPrice == "0.05" && fetch.json)
    }

    @Test func malformedHeaderIsAClearError() throws {
        let cmd = try PurseCommand.parseAsRoot(["quote", "http://127.0.0.1/x", "-H", "no colon here"])
        let quote = try #require(cmd as? QuoteCommand)
        #expect(throws: ValidationError.self) { try quote.request.request() }
    }

    @Test func spendLogValidatesItsFlags() {
        rejects(["spend-log", "--format", "xml"], saying: "--format must be table, json or csv")
        rejects(["spend-log", "--status", "paid"], saying: "--status must be one of")
        rejects(["spend-log", "--since", "yesterday"], saying: "--since takes")
        rejects(["spend-log", "--limit", "0"], saying: "--limit must be at least 1")
    }

    @Test func reportParsesAndValidatesItsFlags() throws {
        let cmd = try PurseCommand.parseAsRoot(["report", "--out", "r.html", "--since", "30d", "--session", "last", "--open"])
        let report = try #require(cmd as? ReportCommand)
        #expect(report.out == "r.html" && report.window.since == "30d" && report.window.session == "last" && report.open)
        let defaults = try #require(try PurseCommand.parseAsRoot(["report"]) as? ReportCommand)
        #expect(defaults.out == "purse-report.html" && defaults.window.since == nil && !defaults.open)
        rejects(["report", "--since", "last week"], saying: "--since takes")
        rejects(["report", "--out", "-", "--open"], saying: "--open needs a file")
        rejects(["report", "--out", ""], saying: "--out needs a file name")
    }

    @Test func sinceAcceptsDurationsAndDates() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(SinceParser.parse("24h", now: now) == now.addingTimeInterval(-86_400))
        #expect(SinceParser.parse("7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(SinceParser.parse("30m", now: now) == now.addingTimeInterval(-1_800))
        let d = try #require(SinceParser.parse("2026-11-01", now: now))
        #expect(Int(d.timeIntervalSince1970) == 1_793_491_200)
        #expect(SinceParser.parse("2026-02-30", now: now) == nil)
        #expect(SinceParser.parse("soon", now: now) == nil)
    }

    @Test func keygenNeverTakesAPasswordOnTheCommandLine() {
        rejects(["keygen", "--out", "/tmp/k", "--password", "x"], saying: "Unknown option '--password'")
    }

    /// Parsing `arguments` fails, and the message a user sees says `fragment`.
    private func rejects(_ arguments: [String], saying fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try PurseCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed", sourceLocation: sourceLocation)
        } catch {
            let message = PurseCommand.message(for: error)
            #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct UpstreamsCommandTests {
    @Test func upstreamsParsesJSON() throws {
        let cmd = try PurseCommand.parseAsRoot(["upstreams", "--json", "--config", "/tmp/c.json"])
        let upstreams = try #require(cmd as? UpstreamsCommand)
        #expect(upstreams.json && upstreams.global.config == "/tmp/c.json")
    }
}
