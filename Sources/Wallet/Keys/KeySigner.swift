import EVM
import PurseCore
import X402

/// Signs EIP-3009 authorizations with a secp256k1 private key (libsecp256k1, RFC 6979, low-s).
public struct KeySigner: PaymentSigner {
    private let key: PrivateKey
    /// The paying address.
    public let address: Address

    /// Wraps a key; the key stays in memory only.
    public init(key: PrivateKey) {
        self.key = key
        self.address = key.address
    }

    /// Builds the EIP-712 digest of the plan's typed values and signs it.
    public func sign(_ plan: PaymentPlan) throws(PurseError) -> SignedAuthorization {
        guard plan.payer == key.address else { throw PurseError("sign.wrong_payer", "the plan's payer is not this wallet") }
        guard let name = plan.requirement.eip712Name, let version = plan.requirement.eip712Version else {
            throw PurseError("sign.no_domain", "extra.name and extra.version are required to sign")
        }
        guard plan.validAfter >= 0, plan.validBefore > plan.validAfter else {
            throw PurseError("sign.bad_window", "validBefore must be after validAfter")
        }
        let value = plan.requirement.amount.value
        let message = TransferWithAuthorization(
            from: plan.payer, to: plan.payTo, value: UInt256(UInt64(value)), validAfter: UInt256(UInt64(plan.validAfter)),
            validBefore: UInt256(UInt64(plan.validBefore)), nonce: plan.nonce.bytes)
        let domain = EIP712Domain(name: name, version: version, chainId: plan.chainId, verifyingContract: plan.token)
        let signature = key.sign(digest: message.digest(domain: domain))
        return SignedAuthorization(from: plan.payer, to: plan.payTo, value: value, validAfter: plan.validAfter,
                                   validBefore: plan.validBefore, nonce: plan.nonce, signature: signature.bytes)
    }

    /// Signs the message's EIP-4361 text with EIP-191 `personal_sign`: the prefix makes the
    /// signature unusable as a transaction or an EIP-712 authorization.
    public func signIn(_ message: SignInMessage) throws(PurseError) -> [UInt8] {
        guard message.address == key.address else { throw PurseError("sign.wrong_payer", "the sign-in message names another address") }
        return PersonalMessage(text: message.text).sign(with: key).bytes
    }
}
