// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// An error the MCP layer reports about a tool call before the backend sees it.
public enum PurseMCPError: CodedError, Equatable {
    /// An argument is missing, unknown, of the wrong type or out of range. `argument` is the
    /// path of the offending argument (`url`, `headers.X-Foo`), or empty for the whole object.
    case badArguments(tool: String, argument: String, reason: String)
    /// No tool of that name.
    case unknownTool(String)

    /// The stable code.
    public var code: String {
        switch self {
        case .badArguments: "mcp.bad_arguments"
        case .unknownTool: "mcp.unknown_tool"
        }
    }

    /// The human-readable explanation.
    public var message: String {
        switch self {
        case let .badArguments(tool, argument, reason):
            argument.isEmpty
                ? "Invalid arguments for \(tool): \(reason)."
                : "Invalid argument '\(argument)' for \(tool): \(reason)."
        case let .unknownTool(name): "Unknown tool '\(name)'."
        }
    }
}
