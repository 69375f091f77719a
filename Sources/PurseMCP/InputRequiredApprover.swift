// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Ledger
import Wallet

/// Approval by an input-required round trip, for 2026-07-28 clients that declare elicitation.
///
/// The revision has no server-initiated requests: a tool that needs the human returns an
/// `input_required` result asking the client to run an elicitation, and the client calls the
/// tool again with the answer and the `requestState` it was given. Nothing is kept between the
/// two calls but that signed state (`RequestStateCodec`), so each round runs the whole tool again:
/// - first round (`.ask`): the flow reaches approval, this records the question (what the human
///   is shown and the plan's `ApprovalTerms`) and refuses with `approval.input_required`; the
///   reservation is released and the server answers `input_required` instead of a tool result;
/// - second round (`.answered`): the state was verified and opened before the tool ran; the flow
///   prices the request again and reaches approval with a fresh plan, which must be within the
///   terms the human accepted (`ApprovalTerms.mismatch`) — a seller that raised its price, or a
///   state for another payee, pays nothing. A decline pays nothing.
/// The budget is checked again by the second round's own reservation.
final class InputRequiredApprover: PaymentApprover, @unchecked Sendable {
    /// What the round knows.
    enum Mode: Equatable, Sendable {
        /// No answer yet: ask.
        case ask
        /// The human answered (accept with `approve: true` is `approved`) about these terms.
        case answered(approved: Bool, terms: ApprovalTerms)
    }

    /// The question of a first round.
    struct Question: Equatable, Sendable {
        /// What the human is shown.
        var request: ApprovalRequest
        /// What an acceptance will bind.
        var terms: ApprovalTerms
    }

    let mode: Mode
    private let lock = NSLock()
    private var asked: Question?

    init(mode: Mode) { self.mode = mode }

    /// The question this round asked, if the flow reached approval in `.ask` mode.
    var question: Question? { lock.withLock { asked } }

    func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
        switch mode {
        case .ask:
            let q = Question(request: ApprovalRequest(plan: plan, budgetLeft: budgetLeft), terms: plan.approvalTerms)
            lock.withLock { asked = q }
            return ApprovalRefusal.inputRequired(plan)
        case .answered(approved: false, _):
            return ApprovalRefusal.declined(plan)
        case let .answered(approved: true, terms):
            if let detail = terms.mismatch(plan.approvalTerms) { return ApprovalRefusal.mismatch(plan, detail: detail) }
            return nil
        }
    }
}
