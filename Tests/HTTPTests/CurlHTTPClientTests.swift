import Foundation
import PurseCore
import Testing
@testable import HTTP

/// Runs a send that must fail, and returns its error (nil if it succeeded).
func failure(_ body: () async throws(HTTPError) -> HTTPResponse) async -> HTTPError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

/// The JSON body of a response.
func json(_ response: HTTPResponse) throws -> JSONValue {
    try JSONValue.parse(response.body)
}

@Suite struct CurlHTTPClientTests {
    @Test func getRoundTrip() async throws {
        try await withTestServer { server in
            let url = server.url("/ok")
            let r = try await CurlHTTPClient().send(HTTPRequest(url: url))
            #expect(r.status == 200)
            #expect(try json(r)["ok"] == .bool(true))
            #expect(r.headers["content-type"] == "application/json")
            #expect(r.headers["Content-Length"] == String(r.body.count))
            #expect(!r.truncated)
            #expect(r.redirectLocation == nil)
            #expect(r.effectiveURL == url)
            #expect(try server.log().count == 1)
        }
    }

    @Test func postSendsBodyByteForByteWithoutExpectOrFormContentType() async throws {
        try await withTestServer { server in
            let body: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x7b, 0x22] + Array("payload".utf8)
            var headers = HTTPHeaders()
            headers.add("X-PAYMENT", "abc==")
            let r = try await CurlHTTPClient().send(HTTPRequest(method: "POST", url: server.url("/echo"), headers: headers, body: body))
            #expect(r.status == 200)
            let echo = try json(r)
            #expect(echo["method"] == "POST")
            #expect(echo["body_hex"]?.stringValue == Hex.encode(body, prefix: false))
            let entry = try #require(try server.log().first)
            #expect(TestServer.header(entry, "Content-Length") == String(body.count))
            #expect(TestServer.header(entry, "X-Payment") == "abc==")
            #expect(TestServer.header(entry, "Expect") == nil)
            #expect(TestServer.header(entry, "Content-Type") == nil)
        }
    }

    @Test func largePostIsSentWholeWithoutExpectContinue() async throws {
        try await withTestServer { server in
            let body = [UInt8](repeating: 0x61, count: 2 << 20)
            var headers = HTTPHeaders()
            headers.add("Content-Type", "application/octet-stream")
            let r = try await CurlHTTPClient().send(HTTPRequest(method: "POST", url: server.url("/ok"), headers: headers, body: body))
            #expect(r.status == 200)
            let entry = try #require(try server.log().first)
            #expect(entry["body_len"] == .integer(body.count))
            #expect(TestServer.header(entry, "Expect") == nil)
            #expect(TestServer.header(entry, "Content-Type") == "application/octet-stream")
        }
    }

    @Test func emptyPostSendsZeroLength() async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(method: "POST", url: server.url("/echo")))
            #expect(try json(r)["method"] == "POST")
            let entry = try #require(try server.log().first)
            #expect(TestServer.header(entry, "Content-Length") == "0")
        }
    }

    @Test func defaultUserAgentAndAcceptAreSent() async throws {
        try await withTestServer { server in
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/ok")))
            let entry = try #require(try server.log().first)
            #expect(TestServer.headers(entry, "User-Agent") == ["purse/0.1 (x402 agent wallet)"])
            #expect(TestServer.headers(entry, "Accept") == ["application/json"])
        }
    }

    @Test func callerSetUserAgentAndAcceptWinWhateverTheirCase() async throws {
        try await withTestServer { server in
            let headers = HTTPHeaders([("user-agent", "custom/1"), ("ACCEPT", "text/plain"), ("X-Empty", "")])
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/ok"), headers: headers))
            let entry = try #require(try server.log().first)
            #expect(TestServer.headers(entry, "User-Agent") == ["custom/1"])
            #expect(TestServer.headers(entry, "Accept") == ["text/plain"])
            #expect(TestServer.headers(entry, "X-Empty") == [""])
        }
    }

    @Test func optionUserAgentIsUsed() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient(options: HTTPOptions(userAgent: "purse-test/9"))
            _ = try await client.send(HTTPRequest(url: server.url("/ok")))
            let entry = try #require(try server.log().first)
            #expect(TestServer.headers(entry, "User-Agent") == ["purse-test/9"])
        }
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH"])
    func otherMethodsAreSentAsIs(method: String) async throws {
        try await withTestServer { server in
            let body: [UInt8]? = method == "DELETE" ? nil : Array("{}".utf8)
            let r = try await CurlHTTPClient().send(HTTPRequest(method: method, url: server.url("/echo"), body: body))
            let echo = try json(r)
            #expect(echo["method"]?.stringValue == method)
            #expect(echo["body_hex"]?.stringValue == Hex.encode(body ?? [], prefix: false))
        }
    }

    @Test func headReturnsHeadersAndNoBody() async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(method: "HEAD", url: server.url("/ok")))
            #expect(r.status == 200)
            #expect(r.body.isEmpty)
            #expect(Int(r.headers["Content-Length"] ?? "") ?? 0 > 0)
            #expect(try server.log().first?["method"] == "HEAD")
        }
    }

    @Test(arguments: [402, 404, 500, 204])
    func errorStatusesAreResponsesNotErrors(code: Int) async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/status?code=\(code)")))
            #expect(r.status == code)
        }
    }

    @Test func redirectIsReturnedAndNotFollowed() async throws {
        try await withTestServer("127.0.0.1") { a in
            try await withTestServer("127.0.0.2") { b in
                let target = b.url("/echo")
                let url = a.url("/redirect-other?to=\(target)")
                let headers = HTTPHeaders([("X-PAYMENT", "secret-payment")])
                let r = try await CurlHTTPClient().send(HTTPRequest(url: url, headers: headers))
                #expect(r.status == 302)
                #expect(r.redirectLocation == target)
                #expect(r.headers["Location"] == target)
                #expect(r.effectiveURL == url)
                #expect(try a.log().count == 1)
                #expect(try b.log().isEmpty)
                // Control: 127.0.0.2's server is alive and logs what reaches it.
                _ = try await CurlHTTPClient().send(HTTPRequest(url: b.url("/ok")))
                #expect(try b.log().count == 1)
            }
        }
    }

    @Test func interimResponseHeadersAreDropped() async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/continue")))
            #expect(r.status == 200)
            #expect(r.headers["X-Interim"] == nil)
            #expect(r.headers["X-Final"] == "yes")
            #expect(try json(r)["final"] == .bool(true))
        }
    }

    @Test func foldedAndRepeatedHeadersAreKept() async throws {
        try await withTestServer { server in
            let r = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/folded")))
            #expect(r.headers["X-Folded"] == "first second")
            #expect(r.headers.values("x-multi") == ["a", "b"])
        }
    }

    @Test func connectionIsReusedForTheNextRequestToTheSameOrigin() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient()
            let first = try await client.send(HTTPRequest(url: server.url("/status?code=402")))
            #expect(first.status == 402)
            let paid = HTTPRequest(url: server.url("/echo"), headers: HTTPHeaders([("X-PAYMENT", "p")]))
            _ = try await client.send(paid)
            _ = try await client.send(HTTPRequest(method: "POST", url: server.url("/ok"), body: [1]))
            let ports = try server.log().compactMap { $0["client_port"]?.int64Value }
            #expect(ports.count == 3)
            #expect(Set(ports).count == 1)
        }
    }

    @Test func separateClientsDoNotShareConnections() async throws {
        try await withTestServer { server in
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/ok")))
            _ = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/ok")))
            let ports = try server.log().compactMap { $0["client_port"]?.int64Value }
            #expect(ports.count == 2)
            #expect(Set(ports).count == 2) // the control for the reuse test above
        }
    }

    @Test func sixteenConcurrentRequestsAllSucceedAndOverlap() async throws {
        try await withTestServer { server in
            let client = CurlHTTPClient()
            // The server answers together=true only when all 16 are in flight at the same time,
            // which fails if transfers were serialised (say, by blocking the cooperative pool).
            let url = server.url("/barrier?name=sixteen&n=16&timeout=20")
            try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let r = try await client.send(HTTPRequest(url: url))
                        return (r.status, try json(r))
                    }
                }
                var n = 0
                for try await (status, body) in group {
                    #expect(status == 200)
                    #expect(body["together"] == .bool(true))
                    n += 1
                }
                #expect(n == 16)
            }
            let log = try server.log()
            #expect(log.count == 16)
        }
    }
}
