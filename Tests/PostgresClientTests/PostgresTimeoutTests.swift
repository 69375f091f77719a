import Foundation
import Testing
@testable import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// Needs no PostgreSQL server: a listener that never answers stands in for a hung server.
@Suite struct PostgresTimeoutTests {
    @Test(.timeLimit(.minutes(1))) func connectTimeoutBoundsASilentServer() throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let start = Date()
        let e = expectPG(.connectFailed) {
            _ = try PostgresConnection.open(url: "postgresql://postgres@127.0.0.1:\(port)/x?connect_timeout=1", password: "pw")
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(e?.message.contains("no answer within 1 s") == true, "\(e?.description ?? "")")
        #expect(elapsed >= 0.9 && elapsed < 5, "took \(elapsed) s")
    }

    /// A TCP listener on 127.0.0.1 whose backlog completes handshakes but which never reads or answers.
    private func silentListener() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PurseTestError("socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 4) == 0 else { close(fd); throw PurseTestError("bind/listen failed") }
        let named = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        guard named == 0 else { close(fd); throw PurseTestError("getsockname failed") }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }
}
