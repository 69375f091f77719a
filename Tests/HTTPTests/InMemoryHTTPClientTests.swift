import Testing
@testable import HTTP
import PurseTesting

@Suite struct InMemoryHTTPClientTests {
    @Test func answersFromHandlerAndRecordsRequestsInOrder() async throws {
        let client = InMemoryHTTPClient { request throws(HTTPError) in
            HTTPResponse(status: request.url.hasSuffix("/a") ? 200 : 404, body: Array(request.url.utf8))
        }
        let a = try await client.send(HTTPRequest(url: "http://x/a"))
        let b = try await client.send(HTTPRequest(method: "POST", url: "http://x/b", body: [1, 2]))
        #expect(a.status == 200)
        #expect(b.status == 404)
        #expect(b.body == Array("http://x/b".utf8))
        #expect(client.requests.map(\.url) == ["http://x/a", "http://x/b"])
        #expect(client.requests.map(\.method) == ["GET", "POST"])
        #expect(client.requests[1].body == [1, 2])
    }

    @Test func handlerErrorsAreThrownUnchanged() async {
        let client = InMemoryHTTPClient { _ throws(HTTPError) in
            throw HTTPError(.timeout, "fake", requestMayHaveBeenSent: true)
        }
        await #expect(throws: HTTPError(.timeout, "fake", requestMayHaveBeenSent: true)) {
            try await client.send(HTTPRequest(url: "http://x/"))
        }
        #expect(client.requests.count == 1)
    }

    @Test func recordsEveryConcurrentRequest() async throws {
        let client = InMemoryHTTPClient { _ throws(HTTPError) in HTTPResponse(status: 204) }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<100 {
                group.addTask { try await client.send(HTTPRequest(url: "http://x/\(i)")).status }
            }
            for try await status in group { #expect(status == 204) }
        }
        #expect(Set(client.requests.map(\.url)).count == 100)
    }
}
