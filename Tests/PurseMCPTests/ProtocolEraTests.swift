import PurseCore
import Testing
@testable import PurseMCP

/// The era router, message by message: the first request decides, the other era is refused.
@Suite struct ProtocolEraTests {
    typealias M = ProtocolEra.Message

    static let initialize = M.request(method: "initialize", enveloped: false, initializeVersion: "2025-11-25")
    static let enveloped = M.request(method: "tools/list", enveloped: true, initializeVersion: nil)
    static let plain = M.request(method: "tools/list", enveloped: false, initializeVersion: nil)

    func routes(_ messages: [M]) -> ([ProtocolEra.Route], ProtocolEra.Era) {
        var era = ProtocolEra()
        return (messages.map { era.route($0) }, era.era)
    }

    @Test func initializeFirstOpensTheHandshakeAndRefusesTheEnvelope() {
        let (r, era) = routes([Self.initialize, .notification(method: "notifications/initialized"), Self.plain, Self.enveloped, .response])
        #expect(era == .handshake)
        #expect(Array(r.prefix(3)) == [.sdk, .sdk, .sdk] && r[4] == .sdk)
        guard case let .reject(e) = r[3] else { Issue.record("expected a rejection"); return }
        #expect(e.code == -32600 && e.message.contains("2026-07-28"))
    }

    @Test func anEnvelopedRequestFirstOpensTheStatelessEraAndRefusesInitialize() {
        let (r, era) = routes([Self.enveloped, .notification(method: "notifications/cancelled"), Self.plain, Self.initialize, .batch, .response])
        #expect(era == .stateless)
        #expect(Array(r.prefix(3)) == [.stateless, .stateless, .stateless])
        #expect(r[3] == .reject(.unsupportedVersion(
            requested: "2025-11-25", supported: ["2026-07-28"],
            message: "this connection serves MCP 2026-07-28; the initialize handshake is not accepted")))
        guard case let .reject(batch) = r[4] else { Issue.record("expected a rejection"); return }
        #expect(batch.code == -32600)
        #expect(r[5] == .sdk)
    }

    @Test("an initialize stamped with the envelope, or a first request without it, is the handshake", arguments: [
        M.request(method: "initialize", enveloped: true, initializeVersion: "2026-07-28"),
        M.request(method: "ping", enveloped: false, initializeVersion: nil),
        M.batch,
    ])
    func handshakeOpeners(first: M) {
        let (r, era) = routes([first])
        #expect(r == [.sdk] && era == .handshake)
    }

    @Test func notificationsAndResponsesBeforeAnyRequestDecideNothing() {
        let (r, era) = routes([.notification(method: "notifications/initialized"), .response])
        #expect(r == [.sdk, .sdk] && era == .undecided)
    }

    @Test func frameSummaries() throws {
        func summary(_ text: String) throws -> M { StatelessServer.summary(try JSONValue.parse(text)) }
        #expect(try summary(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#)
            == Self.enveloped)
        #expect(try summary(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"progressToken":1}}}"#) == Self.plain)
        #expect(try summary(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#) == Self.initialize)
        #expect(try summary(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#)
            == .notification(method: "notifications/cancelled"))
        #expect(try summary(#"{"jsonrpc":"2.0","id":5,"result":{}}"#) == .response)
        #expect(try summary(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#) == .batch)
    }
}
