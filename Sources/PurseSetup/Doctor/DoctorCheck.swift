/// One line of `purse doctor`: what was checked, what was found, and how to fix it.
public struct DoctorCheck: Sendable, Equatable {
    /// The verdict.
    public enum Status: String, Sendable {
        /// Works (✓).
        case ok
        /// A payment cannot work until this is fixed (✗); `doctor` exits 1.
        case fail
        /// Works, but something is off and has a fix (!); does not change the exit code.
        case warn
        /// Not applicable or not set up (–), such as a host that is not registered.
        case skip

        /// The mark printed before the line.
        public var mark: String {
            switch self {
            case .ok: "✓"
            case .fail: "✗"
            case .warn: "!"
            case .skip: "–"
            }
        }
    }

    /// A stable id such as `config`, `key`, `keystore_mode`, `network.eip155:84532`, `funds`,
    /// `ledger`, `host.cursor`, `path`.
    public var id: String
    /// A short label for the human.
    public var title: String
    /// The verdict.
    public var status: Status
    /// What was found (never a key or a password).
    public var detail: String
    /// What to do, when something is wrong.
    public var fix: String?

    /// Creates a check result.
    public init(id: String, title: String, status: Status, detail: String, fix: String? = nil) {
        self.id = id
        self.title = title
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}
