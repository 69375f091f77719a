// PurseMCP: the MCP face of the Purse wallet.
import Logging
import MCP

/// A log severity (the syslog levels MCP uses), ordered from `debug` to `emergency`.
///
/// Our own type, so the backend need not import the MCP SDK.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    /// Detailed debugging information.
    case debug
    /// Normal operation.
    case info
    /// Normal but significant.
    case notice
    /// A warning.
    case warning
    /// An error.
    case error
    /// A critical condition.
    case critical
    /// Action must be taken immediately.
    case alert
    /// The system is unusable.
    case emergency

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders by severity.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }

    /// The SDK's level.
    var mcp: MCP.LogLevel { MCP.LogLevel(rawValue: rawValue)! }

    /// Creates from the SDK's level.
    init(_ level: MCP.LogLevel) { self = LogLevel(rawValue: level.rawValue)! }

    /// The closest swift-log level.
    var swiftLog: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical, .alert, .emergency: .critical
        }
    }
}
