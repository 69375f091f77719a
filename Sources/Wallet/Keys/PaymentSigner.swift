import PurseCore

/// Signs the EIP-3009 authorization of a payment plan. The only holder of the key.
public protocol PaymentSigner: Sendable {
    /// The paying address, checksummed.
    var address: String { get }
    /// Signs the plan's `TransferWithAuthorization`, returning 0x-hex of r‖s‖v (v = 27/28).
    func sign(_ plan: PaymentPlan) throws(PurseError) -> String
}
