import Foundation
import Ledger
import PurseCore
import X402

/// The limits in effect and what is left in each window, for `purse budget` and `budget_status`.
public struct BudgetStatus: Sendable {
    /// The policy.
    public let policy: Policy
    /// The session looked at (nil when none).
    public let sessionID: String?
    /// What the session spent (0 when none is looked at).
    public let sessionSpent: Micros
    /// Rolling 24 hours, all sessions.
    public let dailySpent: Micros
    /// Rolling 24 hours per host with a limit.
    public let hostSpent: [HostName: Micros]

    /// Reads the ledger: one usage read covers every host spent on in the window.
    public init(policy: Policy, ledger: any PaymentLedger, sessionID: String?, now: Date = Date()) throws(PurseError) {
        self.policy = policy
        self.sessionID = sessionID
        do {
            let u = try ledger.usage(sessionID: sessionID ?? "", host: nil, allHosts: true, now: now)
            sessionSpent = sessionID == nil ? .zero : u.sessionSpent
            dailySpent = u.dailySpent
            hostSpent = Dictionary(uniqueKeysWithValues: policy.config.perHostDaily.keys.map { ($0, u.hostSpent($0)) })
        } catch { throw PurseError(error.code, error.message) }
    }

    private func d(_ m: Micros) -> JSONValue { .string(m.decimalText()) }

    /// The structured view.
    public func json() -> JSONValue {
        let c = policy.config
        var perHost = JSONObject()
        for (h, l) in c.perHostDaily.sorted(by: { $0.key < $1.key }) { perHost[h.name] = d(l) }
        var hosts = [JSONValue]()
        for (h, l) in c.perHostDaily.sorted(by: { $0.key < $1.key }) {
            let s = hostSpent[h] ?? .zero
            hosts.append(["host": .string(h.name), "limit": d(l), "spent": d(s), "remaining": d(l.remaining(after: s))])
        }
        return [
            "symbol": .string(policy.symbol),
            "limits": [
                "maxPerRequest": d(c.maxPerRequest), "sessionBudget": d(c.sessionBudget), "dailyBudget": d(c.dailyBudget),
                "confirmAbove": c.confirmAbove.map(d) ?? .null, "perHost": .object(perHost),
                "allowHosts": .array(c.allowHosts.map(JSONValue.string)), "denyHosts": .array(c.denyHosts.map(JSONValue.string)),
                "allowNetworks": .array(policy.allowedNetworks.map(JSONValue.string)),
                "allowAssets": .array(policy.assets.map { .string("\($0.network) \($0.symbol) \($0.address)") }),
            ],
            "session": ["id": sessionID.map(JSONValue.string) ?? .null, "spent": d(sessionSpent), "remaining": d(c.sessionBudget.remaining(after: sessionSpent))],
            "daily": ["spent": d(dailySpent), "remaining": d(c.dailyBudget.remaining(after: dailySpent))],
            "hosts": .array(hosts),
        ]
    }

    /// A text view for humans.
    public var text: String {
        let c = policy.config, s = policy.symbol
        func f(_ m: Micros) -> String { m.formatted(symbol: s) }
        var lines = [
            "Policy (\(policy.allowedNetworks.joined(separator: ", ")))",
            "  max per request  \(f(c.maxPerRequest))",
            "  session budget   \(f(c.sessionBudget))" + (sessionID.map { "   session \($0): spent \(f(sessionSpent)), left \(f(c.sessionBudget.remaining(after: sessionSpent)))" } ?? ""),
            "  daily budget     \(f(c.dailyBudget))   last 24 h: spent \(f(dailySpent)), left \(f(c.dailyBudget.remaining(after: dailySpent)))",
            "  confirm above    \(c.confirmAbove.map(f) ?? "never asks")",
        ]
        for (h, l) in c.perHostDaily.sorted(by: { $0.key < $1.key }) {
            let sp = hostSpent[h] ?? .zero
            lines.append("  \(h) daily \(f(l)): spent \(f(sp)), left \(f(l.remaining(after: sp)))")
        }
        if !c.allowHosts.isEmpty { lines.append("  hosts allowed    \(c.allowHosts.joined(separator: ", "))") }
        if !c.denyHosts.isEmpty { lines.append("  hosts denied     \(c.denyHosts.joined(separator: ", "))") }
        lines.append("  tokens           " + policy.assets.map { "\($0.symbol) \($0.address) on \($0.network)" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
