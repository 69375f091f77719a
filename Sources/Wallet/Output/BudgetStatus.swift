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
    /// Spending in the windows.
    public let sessionSpentMicros: Int64
    /// Rolling 24 hours, all sessions.
    public let dailySpentMicros: Int64
    /// Rolling 24 hours per host with a limit.
    public let hostSpentMicros: [String: Int64]

    /// Reads the ledger.
    public init(policy: Policy, ledger: Ledger, sessionID: String?, now: Date = Date()) throws(PurseError) {
        self.policy = policy
        self.sessionID = sessionID
        do {
            let u = try ledger.usage(sessionID: sessionID ?? "", host: nil, now: now)
            sessionSpentMicros = sessionID == nil ? 0 : u.sessionSpentMicros
            dailySpentMicros = u.dailySpentMicros
            // One usage read covers every host spent on in the window.
            hostSpentMicros = Dictionary(uniqueKeysWithValues: policy.config.perHostDailyMicros.keys.map { ($0, u.hostSpentMicros($0)) })
        } catch { throw PurseError(error.code, error.message) }
    }

    private func d(_ m: Int64) -> JSONValue { .string(AmountText.decimal(atomic: m, decimals: 6)) }

    /// The structured view.
    public func json() -> JSONValue {
        let c = policy.config
        var perHost = JSONObject()
        for (h, l) in c.perHostDailyMicros.sorted(by: { $0.key < $1.key }) { perHost[h] = d(l) }
        var hosts = [JSONValue]()
        for (h, l) in c.perHostDailyMicros.sorted(by: { $0.key < $1.key }) {
            let s = hostSpentMicros[h] ?? 0
            hosts.append(["host": .string(h), "limit": d(l), "spent": d(s), "remaining": d(max(0, l - s))])
        }
        return [
            "symbol": .string(policy.symbol),
            "limits": [
                "maxPerRequest": d(c.maxPerRequestMicros), "sessionBudget": d(c.sessionBudgetMicros), "dailyBudget": d(c.dailyBudgetMicros),
                "confirmAbove": c.confirmAboveMicros.map(d) ?? .null, "perHost": .object(perHost),
                "allowHosts": .array(c.allowHosts.map(JSONValue.string)), "denyHosts": .array(c.denyHosts.map(JSONValue.string)),
                "allowNetworks": .array(policy.allowedNetworks.map(JSONValue.string)),
                "allowAssets": .array(policy.assets.map { .string("\($0.network) \($0.symbol) \($0.address)") }),
            ],
            "session": ["id": sessionID.map(JSONValue.string) ?? .null, "spent": d(sessionSpentMicros), "remaining": d(max(0, c.sessionBudgetMicros - sessionSpentMicros))],
            "daily": ["spent": d(dailySpentMicros), "remaining": d(max(0, c.dailyBudgetMicros - dailySpentMicros))],
            "hosts": .array(hosts),
        ]
    }

    /// A text view for humans.
    public var text: String {
        let c = policy.config, s = policy.symbol
        func f(_ m: Int64) -> String { AmountText.format(micros: m, symbol: s) }
        var lines = [
            "Policy (\(policy.allowedNetworks.joined(separator: ", ")))",
            "  max per request  \(f(c.maxPerRequestMicros))",
            "  session budget   \(f(c.sessionBudgetMicros))" + (sessionID.map { "   session \($0): spent \(f(sessionSpentMicros)), left \(f(max(0, c.sessionBudgetMicros - sessionSpentMicros)))" } ?? ""),
            "  daily budget     \(f(c.dailyBudgetMicros))   last 24 h: spent \(f(dailySpentMicros)), left \(f(max(0, c.dailyBudgetMicros - dailySpentMicros)))",
            "  confirm above    \(c.confirmAboveMicros.map(f) ?? "never asks")",
        ]
        for (h, l) in c.perHostDailyMicros.sorted(by: { $0.key < $1.key }) {
            let sp = hostSpentMicros[h] ?? 0
            lines.append("  \(h) daily \(f(l)): spent \(f(sp)), left \(f(max(0, l - sp)))")
        }
        if !c.allowHosts.isEmpty { lines.append("  hosts allowed    \(c.allowHosts.joined(separator: ", "))") }
        if !c.denyHosts.isEmpty { lines.append("  hosts denied     \(c.denyHosts.joined(separator: ", "))") }
        lines.append("  tokens           " + policy.assets.map { "\($0.symbol) \($0.address) on \($0.network)" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
