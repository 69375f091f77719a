import PurseCore
import X402

/// Signs the authorization of a payment plan. The only holder of the key.
public protocol PaymentSigner: Sendable {
    /// The paying address.
    var address: Address { get }
    /// Signs the plan's authorization with exactly the plan's values, whatever its kind
    /// (`plan.authorization`), and returns the scheme payload to send.
    func sign(_ plan: PaymentPlan) throws(PurseError) -> SchemePayload
}
