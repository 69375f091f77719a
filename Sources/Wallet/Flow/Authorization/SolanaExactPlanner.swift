import PurseCore
import Solana
import X402

/// Plans a Solana `exact` option: the terms first (refusing what the spec does not allow before
/// the chain is even asked), then, once the chain has told the mint's program and decimals and a
/// blockhash, the whole message, checked by `SolanaExactValidator`.
///
/// Pure, like `AuthorizationPlanner` (which hands Solana options here): every refusal carries the
/// Solana module's stable code (`solana.fee_payer_is_payer`, `solana.compute_price_too_high`,
/// `solana.instructions_requested`, …) and happens before anything is reserved or signed.
enum SolanaExactPlanner {
    typealias Step = AuthorizationPlanner.Step

    /// The terms of the option, or the reason it cannot be paid.
    static func terms(_ verdict: OptionVerdict, context: FlowContext) -> Result<(SolanaExactTerms, SolanaPublicKey), OptionVerdict.Reason> {
        guard let r = verdict.requirement, let payer = context.solanaPayer, let key = try? SolanaPublicKey(bytes: payer.bytes),
              r.amount.value > 0
        else { return .failure(.init(code: "option.unplannable", message: "internal error: the Solana option lacks a payer or an amount")) }
        let terms: SolanaExactTerms
        do { terms = try SolanaExactTerms(asset: r.asset, payTo: r.payTo, amount: UInt64(r.amount.value), extra: r.extra) } catch {
            return .failure(.init(code: error.code, message: error.message))
        }
        guard terms.feePayer != key else {
            let e = SolanaExactError(.feePayerIsPayer, "extra.feePayer is this wallet's own address \(key): the payer's key would sign as fee payer and pay the fees")
            return .failure(.init(code: e.code, message: e.message))
        }
        return .success((terms, key))
    }

    /// The first step: check the terms and the compute price, then ask the chain.
    static func start(_ verdict: OptionVerdict, context: FlowContext) -> Step {
        guard let r = verdict.requirement else { return .refuse(.init(code: "option.unplannable", message: "internal error")) }
        switch terms(verdict, context: context) {
        case let .failure(reason): return .refuse(reason)
        case let .success((terms, _)):
            do {
                _ = try SolanaExactPayment.computeBudget(terms: terms, memoNonce: memoNonce(context),
                                                         maxComputeUnitPrice: context.maxComputeUnitPrice(network: r.network?.caip2 ?? r.networkText))
            } catch { return .refuse(.init(code: error.code, message: error.message)) }
            return .ask(.solanaPayment(SolanaPaymentQuestion(network: r.network?.caip2 ?? r.networkText, mint: terms.mint,
                                                             needsBlockhash: terms.recentBlockhash == nil)))
        }
    }

    /// The step after the chain answered: the message, checked.
    static func finish(_ verdict: OptionVerdict, context: FlowContext, answer: ChainAnswer) -> Step {
        guard let r = verdict.requirement, case let .solanaPayment(facts) = answer else {
            return .refuse(.init(code: "option.unplannable", message: "internal error: a chain answer of another kind for a Solana option"))
        }
        let (terms, payer): (SolanaExactTerms, SolanaPublicKey)
        switch self.terms(verdict, context: context) {
        case let .failure(reason): return .refuse(reason)
        case let .success(t): (terms, payer) = t
        }
        let mint: SolanaMint
        switch facts.mint {
        case let .failure(reason): return .refuse(reason)
        case let .success(m): mint = m
        }
        if let decimals = verdict.asset?.decimals, decimals != Int(mint.decimals) {
            // The budget was priced with the configured decimals; a mint with others would make
            // that price wrong by powers of ten.
            let e = SolanaExactError(.mintMismatch, "the mint \(terms.mint) has \(mint.decimals) decimals on chain, but the configuration prices it with \(decimals)")
            return .refuse(.init(code: e.code, message: e.message))
        }
        guard let blockhash = terms.recentBlockhash ?? facts.blockhash else {
            return .refuse(.init(code: "chain.read_failed", message: "the node gave no blockhash to build the transaction on"))
        }
        let network = r.network?.caip2 ?? r.networkText
        let cap = context.maxComputeUnitPrice(network: network)
        let nonce = memoNonce(context)
        do {
            let budget = try SolanaExactPayment.computeBudget(terms: terms, memoNonce: nonce, maxComputeUnitPrice: cap)
            let message = try SolanaExactPayment.plannedMessage(terms: terms, payer: payer, mint: mint, recentBlockhash: blockhash,
                                                                computeBudget: budget, maxComputeUnitPrice: cap, memoNonce: nonce)
            let window = AuthorizationPlanner.Window(requirement: r, context: context)
            return .ready(.solanaExact(SolanaExactPlan(
                terms: terms, payer: payer, mint: mint, recentBlockhash: blockhash,
                lastValidBlockHeight: terms.recentBlockhash != nil ? terms.lastValidBlockHeight : facts.lastValidBlockHeight,
                computeBudget: budget, maxComputeUnitPrice: cap, memoNonce: nonce, message: message, validBefore: window.validBefore)))
        } catch {
            return .refuse(.init(code: error.code, message: error.message))
        }
    }

    /// The memo's 16 random bytes: the first half of the flow's fresh nonce.
    static func memoNonce(_ context: FlowContext) -> [UInt8] { Array(context.nonce.bytes.prefix(16)) }
}
