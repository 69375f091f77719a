import PurseCore
import X402

/// What the payment flow asks its driver to do next.
public enum FlowAction: Sendable, Equatable {
    /// Send the caller's request, unpaid.
    case sendUnpaid
    /// Look in the ledger for a settled payment of this wallet for this resource (the 402
    /// offers a sign-in; having paid is what makes signing in worth trying).
    case findPriorPayment(payer: Address, resource: String)
    /// Sign this EIP-4361 message (EIP-191); it moves no money.
    case signIn(SignInMessage)
    /// Send the caller's request again with this `SIGN-IN-WITH-X` credential, unpaid.
    case sendSignedIn(SignInCredential)
    /// Ask the chain a read-only question the plan depends on (a Permit2 allowance); a dry run
    /// asks it too. Answer with `PaymentFlow.chainAnswered`.
    case readChain(ChainQuestion)
    /// Reserve the plan's amount in the ledger (refusing if a budget would be crossed). A dry
    /// run (`quote`) stops here and checks the budget without reserving.
    case reserve(PaymentPlan)
    /// Ask the human to approve the plan.
    case askApproval(PaymentPlan)
    /// Sign the plan's authorization (`PaymentSigner.sign`), answering with `PaymentFlow.signed`.
    case sign(PaymentPlan)
    /// Send the request with this payment attached. On attempt 1 the driver first marks the
    /// ledger row `sent`; later attempts carry the very same payload, after waiting
    /// `delayMilliseconds`.
    case sendPaid(PaymentPayload, attempt: Int, delayMilliseconds: Int)
    /// Stop, with the outcome and what to record.
    case finish(FlowOutcome)
}
