import PurseCore
import X402

/// Signs the authorization of a payment plan. The only holder of the key.
public protocol PaymentSigner: Sendable {
    /// The paying address.
    var address: Address { get }
    /// Signs the plan's `TransferWithAuthorization` with exactly the plan's values.
    func sign(_ plan: PaymentPlan) throws(PurseError) -> SignedAuthorization
    /// Signs an EIP-4361 sign-in message (EIP-191 `personal_sign`); it can move no money.
    func signIn(_ message: SignInMessage) throws(PurseError) -> [UInt8]
}
