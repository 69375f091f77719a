// Purse — SolanaRPC tests.
// Fixtures/svm_shim.json: raw answers of the offline world's LiteSVM shim, captured by
// Support/capture_shim_fixtures.py (see its header for how to refresh them).

import Foundation
import HTTP
import PurseCore
import PurseTesting

/// The captured requests and answers, and a fake node that replays them.
enum ShimFixture {
    static let document: JSONValue = {
        let url = Bundle.module.url(forResource: "Fixtures/svm_shim", withExtension: "json")!
        return try! JSONValue.parse(Array(try! Data(contentsOf: url)))
    }()

    static var payment: JSONValue { document["payment"]! }
    static var world: JSONValue { document["world"]! }
    static var failed: JSONValue { document["failed"]! }
    static var responses: JSONObject { document["responses"]!.objectValue! }

    /// A node that answers each request with the captured body whose request has the same method
    /// and parameters (key order aside), its id replaced by the request's; anything else is
    /// answered with a JSON-RPC error, so a request Purse shapes differently fails the test.
    static func node() -> InMemoryHTTPClient {
        InMemoryHTTPClient { request throws(HTTPError) in
            let sent = (try? JSONValue.parse(request.body ?? [])) ?? .null
            for member in responses.members {
                let captured = member.value["request"]!
                guard captured["method"] == sent["method"], canonical(captured["params"]!) == canonical(sent["params"] ?? .null) else { continue }
                var body = try! JSONValue.parse(member.value["body"]!.stringValue!).objectValue!
                body["id"] = sent["id"]
                return HTTPResponse(status: 200, body: JSONValue.object(body).encodedBytes(), effectiveURL: request.url)
            }
            let error: JSONValue = ["jsonrpc": "2.0", "id": sent["id"] ?? .null, "error": ["code": -32000, "message": .string("no captured answer for \(sent.encoded())")]]
            return HTTPResponse(status: 200, body: error.encodedBytes(), effectiveURL: request.url)
        }
    }

    /// The value with every object's keys sorted, for comparing requests.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .object(object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { JSONMember($0.key, canonical($0.value)) }))
        case let .array(elements):
            return .array(elements.map(canonical))
        default:
            return value
        }
    }
}

extension JSONValue {
    /// The string member at `key` (tests only).
    func text(_ key: String) -> String {
        guard let s = self[key]?.stringValue else { fatalError("fixture: \(key) is not a string") }
        return s
    }
}
