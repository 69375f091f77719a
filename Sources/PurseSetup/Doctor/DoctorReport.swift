import PurseCore

/// Everything `purse doctor` found, as text for humans or JSON for scripts.
public struct DoctorReport: Sendable, Equatable {
    /// The checks, in the order they ran.
    public var checks: [DoctorCheck]
    /// The wallet's address, when the key loaded.
    public var address: String?

    /// Creates a report.
    public init(checks: [DoctorCheck], address: String?) {
        self.checks = checks
        self.address = address
    }

    /// Whether everything a payment needs passed (no ✗); `doctor` exits 0 exactly then.
    public var ok: Bool { !checks.contains { $0.status == .fail } }

    /// The check with this id, if it ran.
    public func check(_ id: String) -> DoctorCheck? { checks.first { $0.id == id } }

    /// One line per check (`✓ title  detail`), each fix indented under its line, and a verdict.
    public var text: String {
        let width = min(checks.map(\.title.count).max() ?? 0, 14)
        var out = ""
        for c in checks {
            let pad = String(repeating: " ", count: max(0, width - c.title.count))
            out += "\(c.status.mark) \(c.title)\(pad)  \(c.detail)\n"
            if let fix = c.fix { out += "  \(String(repeating: " ", count: width))  fix: \(fix)\n" }
        }
        let failures = checks.filter { $0.status == .fail }.count
        let warnings = checks.filter { $0.status == .warn }.count
        if failures == 0 {
            out += "Everything a payment needs is ready" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s") above)." : ".") + "\n"
        } else {
            out += "\(failures) problem\(failures == 1 ? "" : "s") to fix before Purse can pay.\n"
        }
        return out
    }

    /// `{"ok": …, "address": …, "checks": [{"id", "title", "status", "detail", "fix"}]}`.
    public var json: JSONValue {
        var root: JSONObject = ["ok": .bool(ok)]
        root["address"] = address.map { .string($0) } ?? .null
        root["checks"] = .array(checks.map { c -> JSONValue in
            ["id": .string(c.id), "title": .string(c.title), "status": .string(c.status.rawValue), "detail": .string(c.detail),
             "fix": c.fix.map { .string($0) } ?? .null]
        })
        return .object(root)
    }
}
