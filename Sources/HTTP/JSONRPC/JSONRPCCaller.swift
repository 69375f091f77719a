import Foundation
import PurseCore

/// One JSON-RPC 2.0 call over HTTP POST, checked strictly: the shape every chain node speaks
/// (Ethereum's and Solana's alike), so that the EVM and Solana clients share one reading of an
/// answer (status, size cap, `jsonrpc`, `id`, error object, result) and differ only in the methods
/// they call and the errors they name.
public struct JSONRPCCaller: Sendable {
    /// Why a call gave no result.
    public enum Failure: Error, Sendable {
        /// HTTP itself failed.
        case transport(HTTPError)
        /// The node answered with an error object.
        case rpcError(code: Int, message: String, data: JSONValue?)
        /// The answer is not a usable JSON-RPC 2.0 answer to this call.
        case badResponse(String)
    }

    /// The node's URL.
    public let url: String
    private let http: any HTTPClient
    private let ids = Counter()

    /// A caller for the node at `url`, sending through `http`.
    public init(url: String, http: any HTTPClient) {
        self.url = url
        self.http = http
    }

    /// Sends `method` with `params` (POST, `Content-Type: application/json`) and returns its `result`.
    ///
    /// - Throws: `.transport` when HTTP fails, `.rpcError` for an error object, `.badResponse`
    ///   for a non-200 status, a truncated or non-JSON body, a wrong `jsonrpc` or `id`, or no result.
    public func call(_ method: String, _ params: [JSONValue]) async throws(Failure) -> JSONValue {
        let id = ids.next()
        let payload: JSONValue = ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": .array(params)]
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Accept", "application/json")])
        let response: HTTPResponse
        do throws(HTTPError) {
            response = try await http.send(HTTPRequest(method: "POST", url: url, headers: headers, body: payload.encodedBytes()))
        } catch {
            throw .transport(error)
        }
        guard response.status == 200 else { throw .badResponse("HTTP status \(response.status) for \(method)") }
        guard !response.truncated else { throw .badResponse("the answer to \(method) exceeded the body size cap") }
        let document: JSONValue
        do throws(JSONError) { document = try JSONValue.parse(response.body) } catch {
            throw .badResponse("the answer to \(method) is not JSON (\(error.message))")
        }
        guard case let .object(answer) = document else { throw .badResponse("the answer to \(method) is not a JSON object") }
        guard answer["jsonrpc"] == "2.0" else { throw .badResponse("the answer to \(method) is not JSON-RPC 2.0") }
        let answerID = answer["id"]
        if let error = answer["error"], !error.isNull, answerID == .integer(id) || answerID == nil || answerID == .null {
            guard let code = error["code"]?.int64Value, let text = error["message"]?.stringValue else {
                throw .badResponse("malformed error object in the answer to \(method)")
            }
            throw .rpcError(code: Int(code), message: text, data: error["data"])
        }
        guard answerID?.int64Value == Int64(id) else { throw .badResponse("the answer to \(method) has the wrong id") }
        guard let result = answer["result"] else { throw .badResponse("the answer to \(method) has no result") }
        return result
    }

    /// `call`, with its failure named in the caller's own error type: every chain client names
    /// the three failures the same way (`JSONRPCFailureCases`), so the translation is written once.
    public func call<E: JSONRPCFailureCases>(_ method: String, _ params: [JSONValue], throwing _: E.Type = E.self) async throws(E) -> JSONValue {
        do throws(Failure) {
            return try await call(method, params)
        } catch {
            switch error {
            case let .transport(e): throw .transport(e)
            case let .rpcError(code, message, data): throw .rpcError(code: code, message: message, data: data)
            case let .badResponse(why): throw .badResponse(why)
            }
        }
    }

    /// Hands out increasing request ids, starting at 1; safe across tasks.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var last = 0

        func next() -> Int {
            lock.withLock {
                last += 1
                return last
            }
        }
    }
}

/// An error type that names `JSONRPCCaller.Failure`'s three cases as its own (an enum's cases of
/// these names and payloads conform as they are), so that a chain client's calls throw it directly.
public protocol JSONRPCFailureCases: Error {
    /// HTTP itself failed.
    static func transport(_ error: HTTPError) -> Self
    /// The node answered with an error object.
    static func rpcError(code: Int, message: String, data: JSONValue?) -> Self
    /// The answer is not a usable JSON-RPC 2.0 answer to this call.
    static func badResponse(_ why: String) -> Self
}
