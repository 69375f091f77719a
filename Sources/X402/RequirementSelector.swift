import PurseCore

/// Chooses which of a server's payment options to pay, or explains why none can be.
///
/// An option survives only if: it parsed; its scheme is `exact`; its network is EVM, known and
/// allowed; its asset is a known (built-in or configured) asset of that network and allowed;
/// it names an EIP-712 domain (`extra.name`, `extra.version`); it uses EIP-3009 and a payment
/// flow `exact` supports (`authorization`, or `upfront`, which settles before the content is
/// served); `payTo` is an address; and its price, normalized to micro-units, is within the
/// per-request cap. The cap is checked on the very option that will be signed. As the reference
/// client does, `authorization` options are preferred over `upfront` ones; among those, the
/// cheapest survivor wins.
public enum RequirementSelector {
    /// Chooses among the options of `offer` under `policy`.
    public static func select(_ offer: PaymentRequired, policy: SelectionPolicy) -> Selection {
        var verdicts = [OptionVerdict]()
        for p in offer.problems {
            verdicts.append(OptionVerdict(index: p.index, requirement: nil, asset: nil, micros: nil, payTo: nil, token: nil,
                                          reasons: [.init(code: p.error.code, message: p.error.message)]))
        }
        for r in offer.accepts { verdicts.append(verdict(r, policy: policy)) }
        verdicts.sort { $0.index < $1.index }
        var chosen: OptionVerdict?
        let allowed = verdicts.filter(\.allowed)
        let authorization = allowed.filter { ($0.requirement?.paymentFlow ?? "authorization") == "authorization" }
        for v in authorization.isEmpty ? allowed : authorization {
            guard let m = v.micros else { continue }
            if let c = chosen, let cm = c.micros, cm <= m { continue }
            chosen = v
        }
        return Selection(verdicts: verdicts, chosen: chosen)
    }

    /// Judges one option.
    public static func verdict(_ r: PaymentRequirement, policy: SelectionPolicy) -> OptionVerdict {
        var reasons = [OptionVerdict.Reason]()
        func refuse(_ code: String, _ message: String) { reasons.append(.init(code: code, message: message)) }

        if !policy.supportedSchemes.contains(r.scheme) {
            refuse("option.scheme_unsupported", "scheme '\(clip(r.scheme))' is not supported (Purse pays 'exact' only)")
        }
        var asset: AssetInfo?
        if let network = r.network {
            if !network.isEVM {
                refuse("option.network_not_evm", "network \(clip(r.networkText)) is not an EVM network")
            } else if !policy.allowedNetworks.contains(network.caip2) {
                let hint = network.isTestnet ? "" : " (mainnets must be named in policy.allowNetworks)"
                refuse("option.network_not_allowed", "network \(network.caip2)\(network.displayName.map { " (\($0))" } ?? "") is not allowed by the policy\(hint)")
            } else {
                asset = policy.asset(network: network.caip2, address: r.asset)
                if asset == nil {
                    refuse("option.asset_unknown", "asset \(clip(r.asset)) is not a known or allowed token on \(network.caip2)")
                }
            }
        } else {
            refuse("option.network_unknown", "network '\(clip(r.networkText))' is unknown")
        }
        var payTo: Address?
        do { payTo = try Address(parsing: r.payTo) } catch {
            refuse("option.pay_to_invalid", "payTo '\(clip(r.payTo))' is not a valid address (\(error.message))")
        }
        var token: Address?
        if asset != nil {
            do { token = try Address(parsing: r.asset) } catch {
                refuse("option.asset_invalid", "asset '\(clip(r.asset))' is not a valid address (\(error.message))")
            }
        }
        if r.scheme == "exact" {
            if r.eip712Name == nil || r.eip712Version == nil {
                refuse("option.eip712_domain_missing", "extra.name and extra.version (the token's EIP-712 domain) are missing, so a signature could not be checked by the token")
            }
            if let method = r.assetTransferMethod, method != "eip3009" {
                refuse("option.transfer_method_unsupported", "assetTransferMethod '\(clip(method))' is not supported (Purse signs EIP-3009)")
            }
            if let flow = r.paymentFlow, !supportedFlows.contains(flow) {
                refuse("option.payment_flow_unsupported", "paymentFlow '\(clip(flow))' is not one the exact scheme supports (authorization, upfront)")
            }
        }
        var micros: Micros?
        if let asset {
            if let m = r.amount.micros(decimals: asset.decimals) {
                micros = m
                if m > policy.maxPerRequest {
                    let cap = policy.maxPerRequest.formatted(symbol: asset.symbol)
                    refuse("option.over_cap", "price \(AmountText.format(atomic: r.amount.value, decimals: asset.decimals, symbol: asset.symbol)) exceeds the per-request cap of \(cap)")
                }
            } else {
                refuse("option.amount_too_large", "price \(r.amount.value) atomic units is too large")
            }
        }
        return OptionVerdict(index: r.index, requirement: r, asset: asset, micros: micros, payTo: payTo, token: token, reasons: reasons)
    }

    /// The payment flows of `exact` on EVM (EIP-3009): `escrow` settles twice, which one
    /// EIP-3009 authorization cannot do.
    static let supportedFlows: Set<String> = ["authorization", "upfront"]

    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(60)) + "…" : s }
}
