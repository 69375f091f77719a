import PurseCore

/// What the requirement selector may choose from: the human's allowed networks, the known
/// assets, and the per-request cap.
public struct SelectionPolicy: Sendable, Equatable {
    /// CAIP-2 ids of the networks the policy allows.
    public var allowedNetworks: Set<String>
    /// The assets that are both known and allowed, on any network.
    public var assets: [AssetInfo]
    /// The per-request cap, checked on the very option that would be signed.
    public var maxPerRequest: Micros
    /// Payment schemes Purse can sign.
    public var supportedSchemes: Set<String>

    /// Creates a selection policy.
    public init(allowedNetworks: Set<String>, assets: [AssetInfo], maxPerRequest: Micros, supportedSchemes: Set<String> = ["exact", "upto"]) {
        self.allowedNetworks = allowedNetworks
        self.assets = assets
        self.maxPerRequest = maxPerRequest
        self.supportedSchemes = supportedSchemes
    }

    /// The asset entry for an address on a network (EVM hex case-insensitively, base58 exactly).
    public func asset(network: String, address: String) -> AssetInfo? {
        assets.first { $0.network == network && $0.hasAddress(address) }
    }
}
