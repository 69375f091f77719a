// PurseTesting: a network-free HTTP client for tests of other modules.

import Foundation
import HTTP

/// An `HTTPClient` that answers from a closure and records every request; no network.
public final class InMemoryHTTPClient: HTTPClient, @unchecked Sendable {
    private let handler: @Sendable (HTTPRequest) async throws(HTTPError) -> HTTPResponse
    private let lock = NSLock()
    private var seen: [HTTPRequest] = []

    /// Creates a client that answers every request with `handler`.
    public init(handler: @escaping @Sendable (HTTPRequest) async throws(HTTPError) -> HTTPResponse) {
        self.handler = handler
    }

    /// Every request received so far, in order of arrival.
    public var requests: [HTTPRequest] {
        lock.withLock { seen }
    }

    /// Records the request, then returns (or throws) what the handler gives.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        lock.withLock { seen.append(request) }
        return try await handler(request)
    }
}
