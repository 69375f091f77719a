// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// What an upstream said about itself at `initialize`.
public struct ServerIdentity: Sendable, Equatable {
    /// The MCP revision agreed.
    public let protocolVersion: String
    /// `serverInfo.name`.
    public let name: String
    /// `serverInfo.version`.
    public let version: String
    /// Whether it announced `tools.listChanged` (it may then send `notifications/tools/list_changed`).
    public let toolsListChanged: Bool

    /// Creates an identity.
    public init(protocolVersion: String, name: String, version: String, toolsListChanged: Bool) {
        self.protocolVersion = protocolVersion
        self.name = name
        self.version = version
        self.toolsListChanged = toolsListChanged
    }
}
