import EVM
import PurseCore
import X402

/// The one check of a seller's signed receipt (x402 `offer-receipt` extension) against the
/// payment it should prove. Pure; its result is noted in the ledger and never changes the
/// payment's outcome.
///
/// A receipt verifies when it is EIP-712 version 1, its signature recovers under the
/// `x402 receipt` domain to an authorized signer (`payTo`, a configured signer, or the key that
/// signed the paid offer), and it names this payment: the plan's network, resource URL and payer,
/// the settlement's transaction (when it names one), and an `issuedAt` not in the future.
public enum ReceiptCheck {
    /// The evidence to keep, or nil when the seller neither declared the extension nor sent a receipt.
    public static func check(settlement: SettlementResponse?, plan: PaymentPlan, now: Int64, trustedSigners: [Address]) -> ReceiptEvidence? {
        let declared = plan.offer.extensions?[SignedOffer.extensionKey] != nil
        guard let settlement, let found = SignedReceipt.find(in: settlement) else {
            return declared ? ReceiptEvidence(receipt: nil, signer: nil, authorization: nil, problems: ["the seller declared offer-receipt but sent no receipt"]) : nil
        }
        let receipt: SignedReceipt
        switch found {
        case let .success(r): receipt = r
        case let .failure(e):
            let raw = settlement.raw["extensions"]?[SignedOffer.extensionKey]?["info"]?["receipt"]
            return ReceiptEvidence(receipt: raw, signer: nil, authorization: nil, problems: ["the receipt cannot be read: \(e.message)"])
        }
        guard receipt.format == "eip712", let t = receipt.terms else {
            return ReceiptEvidence(receipt: receipt.raw, signer: nil, authorization: nil,
                                   problems: ["a '\(receipt.format)' receipt cannot be checked (Purse checks eip712 receipts)"])
        }
        var problems: [String] = []
        if t.version != 1 { problems.append("receipt version \(t.version) is not 1") }
        if t.network != plan.network { problems.append("it names network \(t.network), not \(plan.network)") }
        let resourceURL = expectedResourceURL(plan)
        if t.resourceUrl != resourceURL { problems.append("it names resource \(t.resourceUrl), not \(resourceURL)") }
        if !OfferCheck.sameAddress(t.payer, plan.payer.text) { problems.append("it names payer \(t.payer), not this wallet \(plan.payer.text)") }
        if !t.transaction.isEmpty {
            let named = SettlementResponse.normalizeTransaction(t.transaction)
            if named == nil || named != settlement.transaction {
                problems.append("it names transaction \(t.transaction), not the settlement's \(settlement.transaction ?? "none")")
            }
        }
        if Int64(clamping: t.issuedAt) > now + 300 { problems.append("it was issued in the future (\(t.issuedAt))") }
        var signer: Address?
        var authorization: SignerAuthorization?
        do {
            let signature = try Signature(hex: receipt.signature)
            let data = ReceiptTypedData(version: UInt256(t.version), network: t.network, resourceUrl: t.resourceUrl, payer: t.payer,
                                        issuedAt: UInt256(t.issuedAt), transaction: t.transaction)
            let s = try signature.recoverAddress(digest: data.digest)
            signer = s
            if ChainAccount.evm(s) == plan.payTo { authorization = .payTo } else if trustedSigners.contains(s) { authorization = .configured } else if s == plan.offerEvidence?.signer {
                authorization = .offerSigner
            } else {
                authorization = .unverified
                let offerSigner = plan.offerEvidence.map { ", nor the offer's signer \($0.signer.checksummed)" } ?? ""
                problems.append("it is signed by \(s.checksummed), which is neither payTo, a configured signer\(offerSigner)")
            }
        } catch {
            problems.append("its signature is bad (\(error.message))")
        }
        return ReceiptEvidence(receipt: receipt.raw, signer: signer, authorization: authorization, problems: problems)
    }

    /// The resource URL a receipt (and an offer) must name: the 402's `resource.url`, else the
    /// v1 option's `resource`, else the request's URL.
    public static func expectedResourceURL(_ plan: PaymentPlan) -> String {
        plan.offer.resource?["url"]?.stringValue ?? plan.requirement.resource ?? plan.resource.url
    }
}
