import ArgumentParser
import HTTP

/// The curl-like request flags of `quote` and `fetch`.
public struct RequestOptions: ParsableArguments {
    @Argument(help: "The URL (http or https).")
    var url: String

    @Option(name: [.customShort("X"), .customLong("request")], help: "HTTP method.")
    var method: String = "GET"

    @Option(name: [.customShort("H"), .customLong("header")], help: "A request header, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(name: [.customShort("d"), .customLong("data")], help: "Request body.")
    var data: String?

    public init() {}

    /// The request these flags describe.
    func request() throws -> HTTPRequest {
        var h = HTTPHeaders()
        for line in headers {
            guard let colon = line.firstIndex(of: ":") else { throw ValidationError("header '\(line)' must look like 'Name: value'") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ValidationError("header '\(line)' has no name") }
            h.add(name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return HTTPRequest(method: method.uppercased(), url: url, headers: h, body: data.map { Array($0.utf8) })
    }
}
