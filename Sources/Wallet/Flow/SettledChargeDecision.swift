import Ledger
import PurseCore
import X402

/// What a settled payment is charged, decided from the plan and the seller's receipt.
///
/// A fixed-price payment is charged what was reserved (nil here: the reservation stands). A
/// payment settled for its actual amount (`upto`) is charged the receipt's `amount` when it is
/// within the signed maximum. A receipt with no usable amount, or one claiming more than the
/// maximum (impossible on chain, so a lie or a bug), is counted at the maximum, noted, and left
/// for reconcile to read the real transfer.
enum SettledChargeDecision {
    static func charge(plan: PaymentPlan, receipt: SettlementResponse?) -> SettledCharge? {
        guard plan.method.settlesActualAmount else { return nil }
        let max = plan.requirement.amount.value
        let decimals = plan.asset.decimals
        let maxText = AmountText.format(atomic: max, decimals: decimals, symbol: plan.asset.symbol)
        if let amount = receipt?.settledAmount {
            if amount <= max, let micros = Micros(atomic: amount, decimals: decimals) {
                return SettledCharge(atomic: amount, micros: micros, source: .receipt)
            }
            let claimed = AmountText.format(atomic: amount, decimals: decimals, symbol: plan.asset.symbol)
            return SettledCharge(atomic: max, micros: plan.micros, source: .maximum,
                                 note: "the receipt claims \(claimed) settled, above the signed maximum of \(maxText), which the chain cannot move; counted at the maximum until reconcile reads the transfer")
        }
        let why = receipt?.amount.map { "an unreadable amount '\(String($0.prefix(40)))'" } ?? "no amount"
        return SettledCharge(atomic: max, micros: plan.micros, source: .maximum,
                             note: "the receipt gave \(why); counted at the signed maximum of \(maxText) until reconcile reads the transfer")
    }
}
