import Foundation
import HTTP
import Testing
@testable import Wallet

/// How a response body is reported: text for textual types, base64 otherwise.
@Suite("HTTP response JSON")
struct HTTPResponseJSONTests {
    @Test("textual types give text, others base64, whatever the case and parameters")
    func bodyEncoding() {
        let cases: [(String?, String)] = [
            (nil, "text"), ("text/plain", "text"), ("Application/JSON; charset=utf-8", "text"), ("application/vnd.api+json", "text"),
            ("application/xml", "text"), ("application/javascript", "text"), ("application/x-www-form-urlencoded", "text"),
            ("image/png", "base64"), ("application/octet-stream", "base64"), ("application/jso", "base64"),
        ]
        for (type, encoding) in cases {
            var headers = HTTPHeaders()
            if let type { headers.add("Content-Type", type) }
            let (_, got) = HTTPResponseJSON.body(HTTPResponse(status: 200, headers: headers, body: Array("{}".utf8)))
            #expect(got == encoding, "\(type ?? "no type")")
        }
    }

    @Test("the byte search answers as Foundation's contains, ASCII or not")
    func mentionsMatchesFoundation() {
        let types = ["application/json", "", "json", "jso", "application/jsoń", "applicatión/json", "x-jsonx", "日本/json", "js\u{0301}on"]
        for type in types {
            for word in ["json", "xml", "javascript", "x-www-form-urlencoded"] {
                #expect(HTTPResponseJSON.mentions(type, word) == type.contains(word), "\(type) / \(word)")
            }
        }
    }
}
