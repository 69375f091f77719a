import Foundation
import PurseCore

/// Plain round trips to the fast seller over one kept-alive TCP socket, with no HTTP library:
/// the request's bytes written, the answer read up to its `Content-Length`.
///
/// Why: the honest floor's two round trips are made with Purse's own HTTP client (libcurl), so
/// whatever that client adds to a round trip sits in the floor, not in Purse's own time. This
/// says how much that is, beside the floor, in the same run.
final class RawHTTPProbe {
    private let fd: Int32
    private let request: [UInt8]
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Connects to `url`'s host and port (an `http://127.0.0.1:PORT/path` URL).
    init(url: String) throws {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port else {
            throw PurseError("bench.usage", "a raw probe needs an http://HOST:PORT URL, not \(url)")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PurseError("bench.raw_http", "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw PurseError("bench.usage", "a raw probe needs an IPv4 address, not \(host)")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw PurseError("bench.raw_http", "connect to \(host):\(port): \(reason)")
        }
        self.fd = fd
        let path = parsed.path.isEmpty ? "/" : parsed.path
        request = Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: */*\r\n\r\n".utf8)
    }

    deinit { close(fd) }

    /// One round trip; throws unless the answer is a complete `200`.
    func roundTrip() throws {
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { write(fd, $0.baseAddress! + sent, request.count - sent) }
            guard n > 0 else { throw PurseError("bench.raw_http", "write: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var have = 0
        var needed: Int?
        // Bounded by the buffer: the seller's plain answer is far smaller than 64 KiB.
        while needed.map({ have < $0 }) ?? true {
            guard have < buffer.count else { throw PurseError("bench.raw_http", "answer larger than \(buffer.count) bytes") }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, $0.count - have) }
            guard n > 0 else { throw PurseError("bench.raw_http", n == 0 ? "the seller closed the connection" : String(cString: strerror(errno))) }
            have += n
            if needed == nil { needed = Self.answerLength(buffer[..<have]) }
        }
        guard buffer.starts(with: Array("HTTP/1.1 200".utf8)) else {
            throw PurseError("bench.raw_http", "not a 200: \(String(decoding: buffer.prefix(40), as: UTF8.self))")
        }
    }

    /// Header plus body length, once the header is complete (`Content-Length` required).
    private static func answerLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        let end = Array("\r\n\r\n".utf8)
        guard let headerEnd = bytes.indices.first(where: { bytes[$0...].starts(with: end) }) else { return nil }
        let header = String(decoding: bytes[bytes.startIndex..<headerEnd], as: UTF8.self).lowercased()
        guard let line = header.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return headerEnd - bytes.startIndex + end.count + length
    }
}
