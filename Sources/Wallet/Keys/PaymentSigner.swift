import PurseCore
import X402

/// Signs the authorization of a payment plan. The only holder of the key.
public protocol PaymentSigner: Sendable {
    /// The paying address.
    var address: Address { get }
    /// Signs the plan's authorization with exactly the plan's values, whatever its kind
    /// (`plan.authorization`), and returns the scheme payload to send.
    func sign(_ plan: PaymentPlan) throws(PurseError) -> SchemePayload
    /// Signs an EIP-4361 sign-in message (EIP-191 `personal_sign`); it can move no money.
    func signIn(_ message: SignInMessage) throws(PurseError) -> [UInt8]
}

extension PaymentSigner {
    /// A signer that does not implement sign-in never signs one: Purse then pays (or refuses) as
    /// if no sign-in had been offered.
    public func signIn(_ message: SignInMessage) throws(PurseError) -> [UInt8] {
        throw PurseError("sign.sign_in_unsupported", "this signer does not sign sign-in messages")
    }
}
