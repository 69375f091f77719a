import PurseCore
import X402

/// The human's spending rules in effect for one process: limits, host lists, networks, assets.
public struct Policy: Sendable, Equatable {
    /// The raw policy section.
    public let config: PolicyConfig
    /// The networks payments may use.
    public let allowedNetworks: [String]
    /// The tokens payments may use.
    public let assets: [AssetInfo]
    /// The symbol used for budget amounts.
    public let symbol: String

    /// Derives the effective policy from a configuration.
    public init(config: PurseConfig) {
        self.config = config.policy
        self.allowedNetworks = config.allowedNetworks
        self.assets = config.allowedAssets
        self.symbol = config.budgetSymbol
    }

    /// The limits every reservation is checked against.
    public var budgetLimits: BudgetLimits { config.budgetLimits }

    /// Refuses a host that is denied, or not allowed when an allow list exists; deny wins.
    public func hostRefusal(_ host: HostName) -> PolicyRefusal? {
        if let p = config.denyHosts.first(where: { HostPattern($0).matches(host) }) {
            return PolicyRefusal(code: "policy.host_denied", message: "host \(host) is denied by policy.hosts.deny (\(p))")
        }
        if !config.allowHosts.isEmpty, !config.allowHosts.contains(where: { HostPattern($0).matches(host) }) {
            return PolicyRefusal(code: "policy.host_not_allowed", message: "host \(host) is not in policy.hosts.allow (\(config.allowHosts.joined(separator: ", ")))")
        }
        return nil
    }

    /// The per-request cap, lowered (never raised) by a caller's `max_price`.
    public func perRequestCap(maxPrice: Micros?) -> Micros {
        guard let m = maxPrice else { return config.maxPerRequest }
        return min(m, config.maxPerRequest)
    }

    /// What the selector may choose from, with the cap lowered by `maxPrice`.
    public func selectionPolicy(maxPrice: Micros?) -> SelectionPolicy {
        SelectionPolicy(allowedNetworks: Set(allowedNetworks), assets: assets, maxPerRequest: perRequestCap(maxPrice: maxPrice))
    }

    /// Whether a payment of `amount` needs the human's approval first.
    public func needsApproval(_ amount: Micros) -> Bool {
        guard let threshold = config.confirmAbove else { return false }
        return amount > threshold
    }
}
