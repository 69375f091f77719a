import Foundation
import PurseCore
import Testing
@testable import HTTP

/// Caps, timeouts, failures and refusals.
@Suite struct CurlHTTPClientLimitTests {
    static let capped = HTTPOptions(maxBodyBytes: 1000)

    @Test(arguments: ["/big", "/chunked"])
    func bodyOverTheCapIsTruncatedToExactlyTheCap(route: String) async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient(options: Self.capped).send(HTTPRequest(url: server.url("\(route)?n=200000")))
            #expect(r.status == 200)
            #expect(r.truncated)
            #expect(r.body == serverPattern(1000))
        }
    }

    @Test(arguments: ["/big", "/chunked"])
    func bodyAtTheCapIsWhole(route: String) async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient(options: Self.capped).send(HTTPRequest(url: server.url("\(route)?n=1000")))
            #expect(!r.truncated)
            #expect(r.body == serverPattern(1000))
            #expect(r.headers["X-Trailer"] == nil) // chunked trailers are not mixed into the headers
        }
    }

    @Test func defaultCapAllowsFiveMebibytes() async throws {
        try await withTestServer { server in
            let n = 5 << 20
            let r = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/chunked?n=\(n)")))
            #expect(!r.truncated)
            #expect(r.body.count == n)
            let over = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/big?n=\(n + 1)")))
            #expect(over.truncated)
            #expect(over.body.count == n)
        }
    }

    @Test func headersOverTheCapFail() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient(options: HTTPOptions(maxHeaderBytes: 2048))
            let small = try await client.send(HTTPRequest(url: server.url("/bigheaders?n=5")))
            #expect(small.headers["X-Fill-4"]?.count == 100)
            let e = try #require(await failure { () async throws(HTTPError) in
                try await client.send(HTTPRequest(url: server.url("/bigheaders?n=100")))
            })
            #expect(e.kind == .headersTooLarge)
            #expect(e.code == "http.headers_too_large")
            #expect(e.requestMayHaveBeenSent)
        }
    }

    @Test func totalTimeoutAfterConnectMayHaveSent() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient(options: HTTPOptions(totalTimeoutMs: 500))
            let start = Date()
            let e = try #require(await failure { () async throws(HTTPError) in
                try await client.send(HTTPRequest(url: server.url("/slow?ms=30000")))
            })
            #expect(e.kind == .timeout)
            #expect(e.requestMayHaveBeenSent)
            // Far below the server's 30 s: the 500 ms timeout fired (bound generous for loaded CI).
            #expect(Date().timeIntervalSince(start) < 15)
            #expect(try server.log().count == 1)
        }
    }

    @Test func slowDripIsAbortedByTheLowSpeedLimit() async throws {
        try await withTestServer { server in
            let options = HTTPOptions(totalTimeoutMs: 20_000, lowSpeedLimitBytesPerSecond: 100, lowSpeedTimeSeconds: 1)
            let start = Date()
            let e = try #require(await failure { () async throws(HTTPError) in
                try await CurlHTTPClient(options: options).send(HTTPRequest(url: server.url("/drip?n=30")))
            })
            #expect(e.kind == .timeout)
            #expect(e.requestMayHaveBeenSent)
            #expect(Date().timeIntervalSince(start) < 15)  // the drip would take 30 s
        }
    }

    @Test func refusedConnectionSentNothing() async throws {
        let server = try await TestServer.start()
        let url = server.url("/ok")
        await server.stop() // the port is now closed
        let e = try #require(await failure { () async throws(HTTPError) in
            try await CurlHTTPClient().send(HTTPRequest(url: url))
        })
        #expect(e.kind == .connectFailed)
        #expect(e.code == "http.connect_failed")
        #expect(!e.requestMayHaveBeenSent)
    }

    @Test func unresolvableHostSentNothing() async throws {
        let e = try #require(await failure { () async throws(HTTPError) in
            try await CurlHTTPClient().send(HTTPRequest(url: "http://no-such-host.invalid/"))
        })
        #expect(e.kind == .connectFailed)
        #expect(!e.requestMayHaveBeenSent)
    }

    @Test func connectionClosedWithoutAnswerMayHaveSent() async throws {
        try await withTestServer { server in
            let e = try #require(await failure { () async throws(HTTPError) in
                try await CurlHTTPClient().send(HTTPRequest(url: server.url("/close")))
            })
            #expect(e.kind == .transport)
            #expect(e.requestMayHaveBeenSent)
            #expect(try server.log().count == 1)
        }
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "FILE:/etc/passwd", "data:text/plain,hi"])
    func otherSchemesAreRefusedBeforeIO(url: String) async throws {
        let e = try #require(await failure { () async throws(HTTPError) in
            try await CurlHTTPClient().send(HTTPRequest(url: url))
        })
        #expect(e.kind == .unsupportedScheme)
        #expect(e.code == "http.unsupported_scheme")
        #expect(!e.requestMayHaveBeenSent)
    }

    @Test(arguments: ["not a url", "/relative/path", "http://", "http://exa mple.com/", "http://127.0.0.1:99999/", "http://h/\r\nX: y", ""])
    func malformedURLsAreRefusedBeforeIO(url: String) async throws {
        let e = try #require(await failure { () async throws(HTTPError) in
            try await CurlHTTPClient().send(HTTPRequest(url: url))
        })
        #expect(e.kind == .invalidURL)
        #expect(!e.requestMayHaveBeenSent)
    }

    @Test func upperCaseHTTPSchemeIsAccepted() async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(url: "HTTP://127.0.0.1:\(server.port)/ok"))
            #expect(r.status == 200)
        }
    }

    @Test func headerInjectionAndBadMethodsAreRefusedBeforeIO() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient()
            let bad: [HTTPRequest] = [
                HTTPRequest(url: server.url("/ok"), headers: HTTPHeaders([("X-A", "1\r\nX-Injected: yes")])),
                HTTPRequest(url: server.url("/ok"), headers: HTTPHeaders([("X-A", "1\nX")])),
                HTTPRequest(url: server.url("/ok"), headers: HTTPHeaders([("Bad Name", "1")])),
                HTTPRequest(url: server.url("/ok"), headers: HTTPHeaders([("", "1")])),
                HTTPRequest(method: "GE T", url: server.url("/ok")),
                HTTPRequest(method: "", url: server.url("/ok")),
            ]
            for request in bad {
                let e = await failure { () async throws(HTTPError) in try await client.send(request) }
                #expect(e?.kind == .invalidRequest)
                #expect(e?.requestMayHaveBeenSent == false)
            }
            let log = try server.log()
            #expect(log.isEmpty)
        }
    }

    /// Proves the cancel lands in the middle of the transfer: the request is on the server (an
    /// event in its log) before the cancel, the server then sees the client hang up (another
    /// event), and the error is `.cancelled`, not the answer the server would send after 60 s nor
    /// the client's own 120 s timeout.
    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient(options: HTTPOptions(totalTimeoutMs: 120_000))
            let url = server.url("/hold?ms=60000")
            let task = Task { try await client.send(HTTPRequest(url: url)) }
            try await waitUntil("the request reached the server") { try server.log().contains { $0["method"] == "GET" } }
            let cancelledAt = Date()
            task.cancel()
            let e = try #require(await Self.taskError(task))
            #expect(e.kind == .cancelled)
            #expect(e.code == "http.cancelled")
            #expect(e.requestMayHaveBeenSent)
            try await waitUntil("the server saw the client hang up") {
                try server.log().contains { $0["event"] == "client_closed" }
            }
            #expect(Date().timeIntervalSince(cancelledAt) < 30)  // far below the server's 60 s
        }
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        try await withTestServer { server in
            let url = server.url("/ok")
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await CurlHTTPClient().send(HTTPRequest(url: url))
            }
            let e = try #require(await Self.taskError(task))
            #expect(e.kind == .cancelled)
            #expect(!e.requestMayHaveBeenSent)
            #expect(try server.log().isEmpty)
        }
    }

    /// The `HTTPError` a task ended with, or nil if it succeeded or threw something else.
    static func taskError(_ task: Task<HTTPResponse, any Error>) async -> HTTPError? {
        if case let .failure(error) = await task.result { return error as? HTTPError }
        return nil
    }
}
