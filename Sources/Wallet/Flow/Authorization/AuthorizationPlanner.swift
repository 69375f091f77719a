import EVM
import PurseCore
import X402

/// Turns the chosen option into the plan of its authorization: the one place that knows, per
/// payment method, which values to fix, what the chain must say first, and what to refuse.
///
/// It is pure: the chain's word arrives as a `ChainAnswer`. Every time value is taken from the
/// flow's context (`now`), every random one (the nonce) too, so one plan is reproducible.
enum AuthorizationPlanner {
    /// What planning needs next.
    enum Step: Sendable, Equatable {
        /// The authorization is fixed.
        case ready(AuthorizationPlan)
        /// The chain must answer first.
        case ask(ChainQuestion)
        /// This option cannot be paid after all (another may be).
        case refuse(OptionVerdict.Reason)
    }

    /// The server's extension that carries an EIP-2612 permit for Permit2.
    static let eip2612Extension = SignedEIP2612Permit.extensionKey
    /// The server's extension that asks for a signed `approve(Permit2, 2^256 - 1)` transaction.
    static let erc20ApprovalExtension = "erc20ApprovalGasSponsoring"

    /// The first step for `verdict` (an allowed option with a method, payee and token).
    static func start(_ verdict: OptionVerdict, offer: PaymentRequired, context: FlowContext) -> Step {
        guard let method = verdict.method, let r = verdict.requirement, let chainId = r.network?.chainId,
              let payTo = verdict.payTo?.evmAddress, let token = verdict.token?.evmAddress
        else { return .refuse(.init(code: "option.unplannable", message: "internal error: the option lacks a checked payee, token or chain")) }
        let window = Window(requirement: r, context: context)
        switch method {
        case .exactEIP3009:
            guard let name = r.eip712Name, let version = r.eip712Version else {
                return .refuse(.init(code: "option.eip712_domain_missing", message: "extra.name and extra.version are missing"))
            }
            return .ready(.eip3009(EIP3009Plan(
                from: context.payer, to: payTo, token: token, value: r.amount.value, validAfter: window.validAfter,
                validBefore: window.validBefore, nonce: context.nonce, chainId: chainId, domainName: name, domainVersion: version)))
        case .exactPermit2, .uptoPermit2:
            if method == .uptoPermit2 {
                guard let text = r.facilitatorAddress, let facilitator = try? Address(parsing: text) else {
                    return .refuse(.init(code: "option.upto_facilitator_invalid", message: "extra.facilitatorAddress is not an address"))
                }
                if facilitator == context.payer {
                    return .refuse(.init(code: "option.upto_facilitator_invalid",
                                         message: "extra.facilitatorAddress \(facilitator.checksummed) is this wallet's own address, not a facilitator"))
                }
            }
            let permitPossible = offer.extensions?[eip2612Extension] != nil && r.eip712Name != nil && r.eip712Version != nil
            return .ask(.permit2Allowance(Permit2AllowanceQuestion(
                network: r.network?.caip2 ?? r.networkText, token: token, owner: context.payer, amount: r.amount.value,
                permitIfShort: permitPossible)))
        }
    }

    /// The step after the chain answered `start`'s question.
    static func finish(_ verdict: OptionVerdict, offer: PaymentRequired, context: FlowContext, answer: ChainAnswer) -> Step {
        guard let method = verdict.method, method.usesPermit2, let r = verdict.requirement, let chainId = r.network?.chainId,
              let payTo = verdict.payTo?.evmAddress, let token = verdict.token?.evmAddress,
              case let .permit2Allowance(allowance) = answer
        else { return .refuse(.init(code: "option.unplannable", message: "internal error: a chain answer for an option that asked nothing")) }
        let window = Window(requirement: r, context: context)
        let amount = r.amount.value
        var permit: EIP2612PermitPlan?
        if allowance.allowance < UInt256(UInt64(amount)) {
            switch permitPlan(verdict, offer: offer, context: context, answer: allowance, deadline: window.validBefore) {
            case let .success(p): permit = p
            case let .failure(reason): return .refuse(reason)
            }
        }
        let witness: Permit2Witness
        let spender: Address
        switch method {
        case .uptoPermit2:
            guard let text = r.facilitatorAddress, let facilitator = try? Address(parsing: text) else {
                return .refuse(.init(code: "option.upto_facilitator_invalid", message: "extra.facilitatorAddress is not an address"))
            }
            witness = .upto(to: payTo, facilitator: facilitator, validAfter: window.validAfter)
            spender = Permit2Addresses.uptoProxy
        default:
            witness = .exact(to: payTo, validAfter: window.validAfter)
            spender = Permit2Addresses.exactProxy
        }
        return .ready(.permit2(Permit2Plan(
            from: context.payer, token: token, amount: amount, spender: spender, nonce: context.nonce, deadline: window.validBefore,
            witness: witness, chainId: chainId, permit: permit)))
    }

    /// The EIP-2612 permit for exactly `amount`, or why Permit2 cannot be given an allowance.
    static func permitPlan(_ verdict: OptionVerdict, offer: PaymentRequired, context: FlowContext, answer: Permit2Allowance,
                           deadline: Int64) -> Result<EIP2612PermitPlan, OptionVerdict.Reason> {
        guard let r = verdict.requirement, let chainId = r.network?.chainId, let token = verdict.token?.evmAddress else {
            return .failure(.init(code: "option.unplannable", message: "internal error"))
        }
        let symbol = verdict.asset?.symbol ?? "the token"
        let howTo = "Grant it once from \(context.payer.checksummed): call approve(\(Permit2Addresses.permit2.checksummed), amount) "
            + "on \(symbol) (\(token.checksummed)), e.g. `cast send \(token.checksummed) 'approve(address,uint256)' "
            + "\(Permit2Addresses.permit2.checksummed) <amount>`, for the total you want Purse to be able to spend in \(symbol) through Permit2."
        let have = "Permit2 may spend \(answer.allowance.decimalString) atomic units of \(symbol) for this wallet, less than the \(r.amount.value) needed."
        let extensions = offer.extensions
        if extensions?[eip2612Extension] != nil {
            guard let name = r.eip712Name, let version = r.eip712Version else {
                return .failure(.init(code: "permit2.allowance_required",
                                      message: "\(have) The server offers eip2612GasSponsoring, but the option names no EIP-712 domain (extra.name, extra.version) to sign a permit under. \(howTo)"))
            }
            guard let nonce = answer.permitNonce else {
                return .failure(.init(code: "permit2.eip2612_unsupported",
                                      message: "\(have) The server offers eip2612GasSponsoring, but \(symbol) does not answer EIP-2612 nonces(\(context.payer.checksummed))\(answer.permitProblem.map { " (\($0))" } ?? ""). \(howTo)"))
            }
            let domain = EIP712Domain(name: name, version: version, chainId: chainId, verifyingContract: token)
            if let onChain = answer.domainSeparator, onChain != domain.separator {
                return .failure(.init(code: "permit2.eip2612_domain_mismatch",
                                      message: "\(have) The token's DOMAIN_SEPARATOR() is not the one of extra.name '\(name)' and extra.version '\(version)' on chain \(chainId), so the token would refuse the permit; nothing was signed. \(howTo)"))
            }
            return .success(EIP2612PermitPlan(
                owner: context.payer, spender: Permit2Addresses.permit2, value: r.amount.value, nonce: nonce, deadline: deadline,
                token: token, chainId: chainId, domainName: name, domainVersion: version))
        }
        if extensions?[erc20ApprovalExtension] != nil {
            return .failure(.init(code: "permit2.unlimited_approval_refused",
                                  message: "\(have) The server offers only erc20ApprovalGasSponsoring, which needs a signed approve(Permit2, 2^256-1) transaction: an unlimited approval that would let any later Permit2 signature move all of this wallet's \(symbol). Purse does not sign it. \(howTo)"))
        }
        return .failure(.init(code: "permit2.allowance_required", message: "\(have) \(howTo)"))
    }

    /// The authorization's validity window: from ten minutes ago (chain clocks drift) to the
    /// server's timeout, capped by `payment.validityCeilingSeconds`.
    struct Window {
        let validAfter: Int64
        let validBefore: Int64

        init(requirement: PaymentRequirement, context: FlowContext) {
            validAfter = context.now - 600
            validBefore = context.now + min(requirement.maxTimeoutSeconds, context.validityCeilingSeconds)
        }
    }
}
