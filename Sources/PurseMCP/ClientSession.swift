// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import MCP

/// What we know about the connected client: its info and capabilities (captured from
/// `initialize` through the SDK's `initializeHook`, since `Server` does not expose them) and
/// the log level it asked for.
final class ClientSession: @unchecked Sendable {
    private let lock = NSLock()
    private var info: Client.Info?
    private var capabilities: Client.Capabilities?
    private var minimumLevel: LogLevel = .warning

    /// Records the client from `initialize`; true the first time only.
    func connect(info: Client.Info, capabilities: Client.Capabilities) -> Bool {
        lock.withLock {
            guard self.info == nil else { return false }
            self.info = info
            self.capabilities = capabilities
            return true
        }
    }

    /// Whether `initialize` has been seen.
    var isConnected: Bool { lock.withLock { info != nil } }

    /// Whether the client declared form-mode elicitation (`"elicitation": {}` counts as form,
    /// as the spec says for backward compatibility).
    var supportsFormElicitation: Bool { lock.withLock { capabilities?.elicitation?.form != nil } }

    /// The least severe level sent to the client as `notifications/message`. `warning` until the
    /// client asks otherwise with `logging/setLevel`: the `info` lines restate each call's own
    /// result (and stderr keeps them), so a host that did not ask for them should not parse one
    /// more frame per paid call; the 2026-07-28 revision sends none unless a request opts in.
    var logLevel: LogLevel {
        get { lock.withLock { minimumLevel } }
        set { lock.withLock { minimumLevel = newValue } }
    }
}
