// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import MCP

/// Sends log lines to stderr (swift-log) and, at or above the client's level, to the client as
/// `notifications/message`; also posts progress notifications. Notifications are queued on the
/// transport in call order, so a tool's log lines precede its response.
struct LogRouter: Sendable {
    let session: ClientSession
    let transport: LineTransport
    let logger: Logger

    /// Logs one message from `source` (the MCP `logger` field).
    func log(_ level: LogLevel, _ message: String, source: String = "purse") {
        logger.log(level: level.swiftLog, "\(message)", metadata: ["source": "\(source)"])
        guard session.isConnected, level >= session.logLevel else { return }
        post(LogMessageNotification.message(.init(level: level.mcp, logger: source, data: .string(message))))
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
