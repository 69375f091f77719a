import PurseCore

/// The pure half of registering Purse in a host's config file: old bytes in, new bytes out.
public enum HostRegistration {
    /// What the merge decided.
    public struct Result: Sendable, Equatable {
        /// The document's new text (equal to the input when nothing changed).
        public var bytes: [UInt8]
        /// Whether anything changed.
        public var changed: Bool
        /// The `purse` entry that was there before, when it was replaced.
        public var previous: JSONValue?
        /// How many other servers the file lists (all kept).
        public var otherServers: Int
    }

    /// Puts `entry` under the host's server list as `purse`, keeping everything else.
    ///
    /// For VS Code with a password input, the input definition is added to `inputs` unless an
    /// input with that id exists.
    ///
    /// - Parameters:
    ///   - original: the file's bytes, or nil when it does not exist.
    /// - Throws: `JSONEditError` when the file is not strict JSON or has an unexpected shape;
    ///   the caller must then leave the file alone.
    public static func merge(host: HostKind, original: [UInt8]?, entry: JSONValue) throws(JSONEditError) -> Result {
        var editor = try JSONTextEditor(bytes: original ?? [])
        let key = host.serversKey
        if let servers = editor.value[key], servers.objectValue == nil {
            throw .notAnObject(path: key, found: servers.typeName)
        }
        let previous = editor.value[key]?[ServerLaunch.serverName]
        let others = editor.value[key]?.objectValue?.keys.filter { $0 != ServerLaunch.serverName }.count ?? 0
        var changed = try editor.set([key], ServerLaunch.serverName, to: entry)
        let prompt = JSONValue.string("${input:\(ServerLaunch.vscodePasswordInput)}")
        if host == .vscode, entry["env"]?.objectValue?.members.contains(where: { $0.value == prompt }) == true {
            let added = try editor.appendUnique([], "inputs", ServerLaunch.vscodePasswordInputDefinition) {
                $0["id"]?.stringValue == ServerLaunch.vscodePasswordInput
            }
            changed = changed || added
        }
        return Result(bytes: editor.bytes, changed: changed, previous: previous.flatMap { $0 == entry ? nil : $0 }, otherServers: others)
    }

    /// The `purse` entry registered in a host document, if any (for `doctor`).
    ///
    /// - Throws: `JSONEditError` when the document is not strict JSON or not an object.
    public static func registeredEntry(host: HostKind, document: [UInt8]) throws(JSONEditError) -> JSONValue? {
        let editor = try JSONTextEditor(bytes: document)
        return editor.value[host.serversKey]?[ServerLaunch.serverName]
    }
}
