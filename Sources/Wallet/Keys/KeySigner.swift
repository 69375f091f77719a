import EVM
import PurseCore

/// Signs EIP-3009 authorizations with a secp256k1 private key (libsecp256k1, RFC 6979, low-s).
public struct KeySigner: PaymentSigner {
    private let key: PrivateKey
    /// The paying address, checksummed.
    public let address: String

    /// Wraps a key; the key stays in memory only.
    public init(key: PrivateKey) {
        self.key = key
        self.address = key.address.checksummed
    }

    /// Checks every address of the plan (EIP-55 checksums included), builds the EIP-712 digest and signs it.
    public func sign(_ plan: PaymentPlan) throws(PurseError) -> String {
        let r = plan.requirement
        let to: Address, token: Address, from: Address
        do { to = try Address(parsing: r.payTo) } catch {
            throw PurseError("sign.bad_pay_to", "payTo \(r.payTo) is not a valid address: \(error.message)")
        }
        do { token = try Address(parsing: r.asset) } catch {
            throw PurseError("sign.bad_asset", "asset \(r.asset) is not a valid address: \(error.message)")
        }
        do { from = try Address(parsing: plan.payer) } catch {
            throw PurseError("sign.bad_payer", "payer \(plan.payer) is not a valid address")
        }
        guard from == key.address else { throw PurseError("sign.wrong_payer", "the plan's payer is not this wallet") }
        guard let name = r.eip712Name, let version = r.eip712Version else {
            throw PurseError("sign.no_domain", "extra.name and extra.version are required to sign")
        }
        let nonce: [UInt8]
        do { nonce = try Hex.decode(plan.nonce, length: 32) } catch { throw PurseError("sign.bad_nonce", "nonce must be 32 bytes") }
        guard plan.validAfter >= 0, plan.validBefore > plan.validAfter else {
            throw PurseError("sign.bad_window", "validBefore must be after validAfter")
        }
        let message = TransferWithAuthorization(
            from: from, to: to, value: UInt256(UInt64(r.amount.value)), validAfter: UInt256(UInt64(plan.validAfter)),
            validBefore: UInt256(UInt64(plan.validBefore)), nonce: nonce)
        let domain = EIP712Domain(name: name, version: version, chainId: plan.chainId, verifyingContract: token)
        return key.sign(digest: message.digest(domain: domain)).hex
    }
}
