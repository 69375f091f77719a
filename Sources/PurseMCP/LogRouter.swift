// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import MCP
import PurseCore

/// Sends log lines to stderr (swift-log) and, at or above the client's level, to the client as
/// `notifications/message`; also posts progress notifications. Notifications are queued on the
/// transport in call order, so a tool's log lines precede its response.
struct LogRouter: Sendable {
    let session: ClientSession
    let transport: LineTransport
    let logger: Logger

    /// Which client level applies to a log line.
    enum Gate: Sendable {
        /// The handshake session's: `logging/setLevel`, `warning` by default, nothing before `initialize`.
        case session
        /// A 2026-07-28 request's own `io.modelcontextprotocol/logLevel`; nil (not opted in)
        /// sends nothing to the client.
        case request(LogLevel?)
    }

    /// Logs one message from `source` (the MCP `logger` field).
    func log(_ level: LogLevel, _ message: String, source: String = "purse", gate: Gate = .session) {
        logger.log(level: level.swiftLog, "\(message)", metadata: ["source": "\(source)"])
        switch gate {
        case .session:
            guard session.isConnected, level >= session.logLevel else { return }
        case let .request(minimum):
            guard let minimum, level >= minimum else { return }
        }
        transport.postJSON(Self.logFrame(level, message, source: source))
    }

    /// The `notifications/message` frame of one log line, written directly: what `JSONEncoder`
    /// (`.sortedKeys`, `.withoutEscapingSlashes`) writes for the SDK's `LogMessageNotification`,
    /// to the byte, without building and encoding the SDK's message. A client that asked for
    /// `info` gets one with every `paid_fetch`.
    static func logFrame(_ level: LogLevel, _ message: String, source: String) -> [UInt8] {
        let frame: JSONValue = [
            "jsonrpc": "2.0",
            "method": .string(LogMessageNotification.name),
            "params": ["data": .string(message), "level": .string(level.mcp.rawValue), "logger": .string(source)],
        ]
        return frame.encodedBytes()
    }

    /// A progress reporter for `token`.
    func progressReporter(_ token: ProgressToken) -> @Sendable (Double, String) -> Void {
        { progress, message in
            post(ProgressNotification.message(.init(progressToken: token, progress: progress, message: message)))
        }
    }

    private func post<N: MCP.Notification>(_ message: Message<N>) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(message) else { return }
        transport.post(data)
    }
}
