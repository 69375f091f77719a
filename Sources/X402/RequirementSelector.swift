import PurseCore

/// Chooses which of a server's payment options to pay, or explains why none can be.
///
/// An option survives only if: it parsed; Purse knows how to pay it (`PaymentMethod.classify`:
/// `exact` with EIP-3009 or Permit2, `upto` with Permit2, on EVM); its network is known and
/// allowed; its asset is a known (built-in or configured) asset of that network and allowed;
/// `payTo` and the token are accounts of that chain; the method's own fields are sound (an
/// EIP-712 domain for EIP-3009; for `upto`, a facilitator address that can be one); it uses a
/// payment flow its method supports (`authorization`; for `exact` also `upfront`, which settles
/// before the content is served); and its price, normalized to micro-units, is within the
/// per-request cap. For `upto` the price is the maximum the seller may settle, so the cap bounds
/// what is signed. The cap is checked on the very option that will be signed. As the reference
/// client does, `authorization` options are preferred over `upfront` ones; among those, the
/// cheapest survivor wins, across schemes and networks (`Selection.candidates`).
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
        return Selection(verdicts: verdicts)
    }

    /// Judges one option.
    public static func verdict(_ r: PaymentRequirement, policy: SelectionPolicy) -> OptionVerdict {
        var reasons = [OptionVerdict.Reason]()
        func refuse(_ code: String, _ message: String) { reasons.append(.init(code: code, message: message)) }

        var method: PaymentMethod?
        switch PaymentMethod.classify(r) {
        case let .success(m):
            method = m
            if !policy.supportedSchemes.contains(m.scheme) {
                refuse("option.scheme_unsupported", "scheme '\(clip(r.scheme))' is not one this policy pays (\(policy.supportedSchemes.sorted().joined(separator: ", ")))")
            }
        case let .failure(reason):
            reasons.append(reason)
        }
        var asset: AssetInfo?
        if let network = r.network, method != nil {
            if !policy.allowedNetworks.contains(network.caip2) {
                let hint = network.isTestnet ? "" : " (mainnets must be named in policy.allowNetworks)"
                refuse("option.network_not_allowed", "network \(network.caip2)\(network.displayName.map { " (\($0))" } ?? "") is not allowed by the policy\(hint)")
            } else {
                asset = policy.asset(network: network.caip2, address: r.asset)
                if asset == nil {
                    refuse("option.asset_unknown", "asset \(clip(r.asset)) is not a known or allowed token on \(network.caip2)")
                }
            }
        }
        // Accounts are read in the chain's own form; an option Purse cannot pay anyway is not
        // also blamed for its accounts.
        let family = method?.family ?? .evm
        var payTo: ChainAccount?
        if method != nil {
            do { payTo = try ChainAccount(parsing: r.payTo, family: family) } catch {
                refuse("option.pay_to_invalid", "payTo '\(clip(r.payTo))' is not a valid address (\(error.message))")
            }
        }
        var token: ChainAccount?
        if asset != nil {
            do { token = try ChainAccount(parsing: r.asset, family: family) } catch {
                refuse("option.asset_invalid", "asset '\(clip(r.asset))' is not a valid address (\(error.message))")
            }
        }
        if let method {
            for reason in methodReasons(method, r, token: token) { reasons.append(reason) }
        }
        var micros: Micros?
        if let asset {
            if let m = r.amount.micros(decimals: asset.decimals) {
                micros = m
                if m > policy.maxPerRequest {
                    let cap = policy.maxPerRequest.formatted(symbol: asset.symbol)
                    let what = method?.settlesActualAmount == true ? "maximum" : "price"
                    refuse("option.over_cap", "\(what) \(AmountText.format(atomic: r.amount.value, decimals: asset.decimals, symbol: asset.symbol)) exceeds the per-request cap of \(cap)")
                }
            } else {
                refuse("option.amount_too_large", "price \(r.amount.value) atomic units is too large")
            }
        }
        return OptionVerdict(index: r.index, requirement: r, method: method, asset: asset, micros: micros, payTo: payTo, token: token,
                             reasons: reasons)
    }

    /// The rules of one payment method, on top of the common ones.
    static func methodReasons(_ method: PaymentMethod, _ r: PaymentRequirement, token: ChainAccount?) -> [OptionVerdict.Reason] {
        var reasons = [OptionVerdict.Reason]()
        func refuse(_ code: String, _ message: String) { reasons.append(.init(code: code, message: message)) }
        switch method {
        case .exactEIP3009:
            // The token checks the signature against its own EIP-712 domain.
            if r.eip712Name == nil || r.eip712Version == nil {
                refuse("option.eip712_domain_missing", "extra.name and extra.version (the token's EIP-712 domain) are missing, so a signature could not be checked by the token")
            }
        case .exactPermit2:
            break  // Permit2's domain is fixed; the token's is needed only for an EIP-2612 permit.
        case .uptoPermit2:
            if let text = r.facilitatorAddress {
                do {
                    let f = try Address(parsing: text)
                    if f.bytes.allSatisfy({ $0 == 0 }) || Permit2Addresses.all.contains(f) || token?.evmAddress == f {
                        refuse("option.upto_facilitator_invalid", "extra.facilitatorAddress \(f.checksummed) is a contract or the zero address, not a facilitator that can settle")
                    }
                } catch {
                    refuse("option.upto_facilitator_invalid", "extra.facilitatorAddress '\(clip(text))' is not a valid address (\(error.message))")
                }
            } else {
                refuse("option.upto_facilitator_missing", "extra.facilitatorAddress is missing: an upto permit must name the one facilitator allowed to settle it")
            }
        }
        // `exact` may settle before the content is served (`upfront`, surfaced to the human);
        // `upto` settles what was used, so only after; `escrow` settles twice, which one signed
        // transfer cannot do.
        let flows: Set<String> = method.settlesActualAmount ? ["authorization"] : supportedFlows
        if let flow = r.paymentFlow, !flows.contains(flow) {
            refuse("option.payment_flow_unsupported", "paymentFlow '\(clip(flow))' is not one the \(method.scheme) scheme supports (\(flows.sorted().joined(separator: ", ")))")
        }
        return reasons
    }

    /// The payment flows of `exact` on EVM (EIP-3009): `escrow` settles twice, which one
    /// EIP-3009 authorization cannot do.
    static let supportedFlows: Set<String> = ["authorization", "upfront"]

    static func clip(_ s: String) -> String { s.count > 60 ? String(s.prefix(60)) + "…" : s }
}
