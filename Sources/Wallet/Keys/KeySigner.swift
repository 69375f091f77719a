import EVM
import PurseCore
import X402

/// Signs payment authorizations with a secp256k1 private key (libsecp256k1, RFC 6979, low-s):
/// EIP-3009 transfers, Permit2 witness transfers and their EIP-2612 permits.
public struct KeySigner: PaymentSigner {
    private let key: PrivateKey
    /// The paying address.
    public let address: Address

    /// Wraps a key; the key stays in memory only.
    public init(key: PrivateKey) {
        self.key = key
        self.address = key.address
    }

    /// Signs the plan's authorization: one case per kind, each building its EIP-712 digest from
    /// the plan's typed values.
    public func sign(_ plan: PaymentPlan) throws(PurseError) -> SchemePayload {
        guard plan.payer == .evm(key.address) else { throw PurseError("sign.wrong_payer", "the plan's payer is not this wallet") }
        switch plan.authorization {
        case let .eip3009(a): return .eip3009(try sign(a))
        case let .permit2(p): return .permit2(try sign(p))
        }
    }

    func sign(_ a: EIP3009Plan) throws(PurseError) -> SignedAuthorization {
        guard a.from == key.address else { throw PurseError("sign.wrong_payer", "the plan's payer is not this wallet") }
        guard a.validAfter >= 0, a.validBefore > a.validAfter, a.value >= 0 else {
            throw PurseError("sign.bad_window", "validBefore must be after validAfter")
        }
        let message = TransferWithAuthorization(
            from: a.from, to: a.to, value: UInt256(UInt64(a.value)), validAfter: UInt256(UInt64(a.validAfter)),
            validBefore: UInt256(UInt64(a.validBefore)), nonce: a.nonce.bytes)
        let domain = EIP712Domain(name: a.domainName, version: a.domainVersion, chainId: a.chainId, verifyingContract: a.token)
        let signature = key.sign(digest: message.digest(domain: domain))
        return SignedAuthorization(from: a.from, to: a.to, value: a.value, validAfter: a.validAfter, validBefore: a.validBefore,
                                   nonce: a.nonce, signature: signature.bytes)
    }

    /// Signs a Permit2 transfer, and its EIP-2612 permit when the plan has one. Both are checked
    /// against what x402 allows: the spender is one of the x402 proxies (which pay only the
    /// witness's recipient), and the permit approves Permit2 for exactly the transfer's amount.
    func sign(_ p: Permit2Plan) throws(PurseError) -> SignedPermit2Transfer {
        guard p.from == key.address else { throw PurseError("sign.wrong_payer", "the plan's payer is not this wallet") }
        guard p.amount > 0, p.deadline > 0, p.witness.validAfter >= 0, p.deadline > p.witness.validAfter else {
            throw PurseError("sign.bad_window", "the Permit2 deadline must be after validAfter, and the amount positive")
        }
        let expectedSpender: Address
        let witness: PermitWitnessTransferFrom.Witness
        switch p.witness {
        case let .exact(to, validAfter):
            expectedSpender = Permit2Addresses.exactProxy
            witness = .exact(to: to, validAfter: UInt256(UInt64(validAfter)))
        case let .upto(to, facilitator, validAfter):
            expectedSpender = Permit2Addresses.uptoProxy
            witness = .upto(to: to, facilitator: facilitator, validAfter: UInt256(UInt64(validAfter)))
        }
        guard p.spender == expectedSpender else {
            throw PurseError("sign.bad_spender", "a Permit2 transfer is signed only for the x402 proxy of its scheme")
        }
        let message = PermitWitnessTransferFrom(
            token: p.token, amount: UInt256(UInt64(p.amount)), spender: p.spender, nonce: UInt256(bytes32: p.nonce.bytes),
            deadline: UInt256(UInt64(p.deadline)), witness: witness)
        let signature = key.sign(digest: message.digest(domain: Permit2Domain(chainId: p.chainId, verifyingContract: p.permit2)))
        var permit: SignedEIP2612Permit?
        if let e = p.permit {
            guard e.owner == key.address, e.spender == p.permit2, e.value == p.amount, e.token == p.token, e.deadline > 0 else {
                throw PurseError("sign.bad_permit", "an EIP-2612 permit is signed only to let Permit2 move exactly the payment's amount")
            }
            let message = EIP2612Permit(owner: e.owner, spender: e.spender, value: UInt256(UInt64(e.value)), nonce: e.nonce,
                                        deadline: UInt256(UInt64(e.deadline)))
            let domain = EIP712Domain(name: e.domainName, version: e.domainVersion, chainId: e.chainId, verifyingContract: e.token)
            permit = SignedEIP2612Permit(from: e.owner, asset: e.token, spender: e.spender, amount: e.value, nonce: e.nonce,
                                         deadline: e.deadline, signature: key.sign(digest: message.digest(domain: domain)).bytes)
        }
        return SignedPermit2Transfer(from: p.from, token: p.token, amount: p.amount, spender: p.spender, nonce: p.nonce,
                                     deadline: p.deadline, witness: p.witness, signature: signature.bytes, permit: permit)
    }

    /// Signs the message's EIP-4361 text with EIP-191 `personal_sign`: the prefix makes the
    /// signature unusable as a transaction or an EIP-712 authorization.
    public func signIn(_ message: SignInMessage) throws(PurseError) -> [UInt8] {
        guard message.address == key.address else { throw PurseError("sign.wrong_payer", "the sign-in message names another address") }
        return PersonalMessage(text: message.text).sign(with: key).bytes
    }
}
