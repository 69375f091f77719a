import Ledger

extension PaymentPlan {
    /// The terms an approval of this plan binds (see `ApprovalTerms` for the one matching rule).
    public var approvalTerms: ApprovalTerms {
        ApprovalTerms(host: host, network: network, asset: token, payTo: payTo, payer: payer, amountAtomic: requirement.amount.value)
    }
}
