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

    /// Refuses a host that is denied, or not allowed when an allow list exists; deny wins.
    public func hostRefusal(_ host: String) -> PolicyRefusal? {
        let h = HostPattern.normalize(host)
        if let p = config.denyHosts.first(where: { HostPattern($0).matches(h) }) {
            return PolicyRefusal(code: "policy.host_denied", message: "host \(h) is denied by policy.hosts.deny (\(p))")
        }
        if !config.allowHosts.isEmpty, !config.allowHosts.contains(where: { HostPattern($0).matches(h) }) {
            return PolicyRefusal(code: "policy.host_not_allowed", message: "host \(h) is not in policy.hosts.allow (\(config.allowHosts.joined(separator: ", ")))")
        }
        return nil
    }

    /// The per-request cap, lowered (never raised) by a caller's `max_price`.
    public func perRequestCap(maxPriceMicros: Int64?) -> Int64 {
        guard let m = maxPriceMicros else { return config.maxPerRequestMicros }
        return min(m, config.maxPerRequestMicros)
    }

    /// What the selector may choose from, with the cap lowered by `maxPriceMicros`.
    public func selectionPolicy(maxPriceMicros: Int64?) -> SelectionPolicy {
        SelectionPolicy(allowedNetworks: Set(allowedNetworks), assets: assets, maxPerRequestMicros: perRequestCap(maxPriceMicros: maxPriceMicros))
    }

    /// Whether a payment of `micros` needs the human's approval first.
    public func needsApproval(micros: Int64) -> Bool {
        guard let threshold = config.confirmAboveMicros else { return false }
        return micros > threshold
    }
}
