import PurseCore
import Testing
@testable import HTTP

@Suite struct HTTPErrorTests {
    @Test func codesAreStable() {
        let codes = HTTPError.Kind.allCases.map { HTTPError($0, "", requestMayHaveBeenSent: false).code }
        #expect(codes == [
            "http.invalid_url", "http.unsupported_scheme", "http.invalid_request", "http.connect_failed", "http.tls",
            "http.timeout", "http.headers_too_large", "http.cancelled", "http.transport",
        ])
    }

    @Test func messageSaysWhetherTheRequestMayHaveLeft() {
        let sent = HTTPError(.timeout, "after 500 ms", requestMayHaveBeenSent: true)
        let unsent = HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false)
        #expect(sent.description.contains("may have received"))
        #expect(sent.description.hasSuffix("[http.timeout]"))
        #expect(unsent.description.contains("nothing was sent"))
        #expect(unsent.message.contains("refused"))
    }
}
