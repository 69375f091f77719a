import EVM
import HTTP
import PurseCore
import Testing
@testable import Wallet
@testable import X402

/// The x402 extensions and ambiguous settlements, event by event through `PaymentFlow`:
/// payment-identifier, sign-in-with-x, signed offers and receipts, `settlement_pending`, upfront.
@Suite struct ExtensionFlowTests {
    static let offerKey = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
    static let sellerKey = try! PrivateKey(hex: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")
    static let tx = "0x" + String(repeating: "ab", count: 32)

    let config: PurseConfig
    init() throws { config = try WalletFixture.config() }

    func flow(_ config: PurseConfig? = nil, signers: [Address] = []) -> PaymentFlow {
        PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config ?? self.config, offerSigners: signers))
    }

    static func offer(extensions: JSONValue) throws -> PaymentRequired {
        try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry()], extensions: extensions))
    }

    /// Drives a flow from an offer to the first paid send.
    func toPaid(_ f: inout PaymentFlow, _ offer: PaymentRequired) throws -> (PaymentPayload, PaymentPlan) {
        #expect(f.start() == .sendUnpaid)
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(offer)) else { throw PurseError("t", "expected reserve") }
        #expect(f.reserved() == .sign(plan))
        guard case let .sendPaid(payload, 1, 0) = f.signed(WalletFixture.authorization(plan)) else { throw PurseError("t", "expected sendPaid") }
        return (payload, plan)
    }

    static func settlement(_ doc: JSONValue) throws -> SettlementResponse {
        try SettlementResponse.decode(Base64.encode(doc.encodedBytes()), field: "PAYMENT-RESPONSE")
    }

    // MARK: payment-identifier

    @Test func aDeclaredPaymentIdentifierIsInThePlanAndThePayload() throws {
        var f = flow()
        let offer = try Self.offer(extensions: ["payment-identifier": ["info": ["required": true]], "bazaar": ["info": ["x": 1]]])
        let (payload, plan) = try toPaid(&f, offer)
        #expect(plan.paymentIdentifier == WalletFixture.paymentID)
        #expect(payload.paymentIdentifier == WalletFixture.paymentID.value)
        #expect(payload.document["extensions"]?["bazaar"] == ["info": ["x": 1]])
        // A resend carries the identical bytes.
        #expect(f.paidAnswered(.serverError(status: 503, receipt: nil)) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
    }

    @Test func withoutTheDeclarationNoIdIsSent() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f, try Self.offer(extensions: ["bazaar": ["info": [:]]]))
        #expect(plan.paymentIdentifier == nil && payload.paymentIdentifier == nil)
    }

    // MARK: ambiguous settlements

    @Test func settlementPendingIsUnknownWithItsTransactionAndNeverResent() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f, try Self.offer(extensions: [:]))
        let receipt = try Self.settlement(["success": false, "errorReason": "settlement_pending", "transaction": .string(Self.tx), "network": "eip155:84532"])
        guard case let .finish(outcome) = f.paidAnswered(.pending(status: 402, receipt: receipt)) else { Issue.record("finish"); return }
        guard case .unknown = outcome.kind, case .unknown = outcome.resolution else { Issue.record("\(outcome)"); return }
        #expect(outcome.receipt?.transaction == Self.tx && outcome.signatures == 1 && outcome.paidAttempts == 1 && outcome.plan == plan)
    }

    @Test func aRefusalAfterAnAmbiguousAttemptIsUnknownNotFailed() throws {
        var f = flow()
        let (payload, _) = try toPaid(&f, try Self.offer(extensions: [:]))
        #expect(f.paidAnswered(.serverError(status: 502, receipt: nil)) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
        guard case let .finish(outcome) = f.paidAnswered(.rejected(receipt: nil, reason: "invalid_exact_evm_nonce_already_used")) else { Issue.record("finish"); return }
        guard case .unknown = outcome.kind, case .unknown = outcome.resolution else { Issue.record("\(outcome)"); return }
        #expect(outcome.signatures == 1)
    }

    @Test func anUpfrontSettlementWithAFailedHandlerIsChargedNotResent() throws {
        var f = flow()
        let upfront = try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(extra: ["name": "USDC", "version": "2", "paymentFlow": "upfront"])]))
        let (_, plan) = try toPaid(&f, upfront)
        #expect(plan.paymentFlow == "upfront")
        let receipt = try Self.settlement(["success": true, "transaction": .string(Self.tx), "network": "eip155:84532"])
        guard case let .finish(outcome) = f.paidAnswered(.serverError(status: 500, receipt: receipt)) else { Issue.record("finish"); return }
        #expect(outcome.kind == .notDelivered(status: 500))
        #expect(outcome.resolution == .settle(transaction: Self.tx))
    }

    @Test func authorizationOptionsArePreferredOverUpfront() throws {
        var f = flow()
        _ = f.start()
        let offer = try WalletFixture.offer(WalletFixture.paymentRequired([
            WalletFixture.entry(amount: "5000", extra: ["name": "USDC", "version": "2", "paymentFlow": "upfront"]),
            WalletFixture.entry(amount: "9000"),
            WalletFixture.entry(amount: "1000", extra: ["name": "USDC", "version": "2", "paymentFlow": "escrow"]),
        ]))
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(offer)) else { Issue.record("reserve"); return }
        #expect(plan.requirement.index == 1)
        #expect(f.selection?.verdicts[2].allowed == false)
    }

    // MARK: sign-in-with-x

    static func challenge(domain: String = "seller.test", uri: String = "http://seller.test/weather", chain: String = "eip155:84532") -> JSONValue {
        ["sign-in-with-x": [
            "info": ["domain": .string(domain), "uri": .string(uri), "version": "1", "nonce": "0123456789abcdef",
                     "issuedAt": "2027-01-15T08:00:00Z", "expirationTime": "2027-01-15T08:05:00Z"],
            "supportedChains": [["chainId": .string(chain), "type": "eip191"]],
        ]]
    }

    /// 2027-01-15T08:00:30Z
    static let siwxNow: Int64 = 1_800_000_030

    func signInFlow(_ config: PurseConfig? = nil) -> PaymentFlow {
        PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config ?? self.config, now: Self.siwxNow))
    }

    @Test func aPaidResourceSignsInInsteadOfPaying() throws {
        var f = signInFlow()
        _ = f.start()
        #expect(f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge())))
            == .findPriorPayment(payer: WalletFixture.payerAddress, resource: "http://seller.test/weather"))
        guard case let .signIn(message) = f.priorPaymentFound(PriorPayment(paymentID: 7, network: "eip155:84532")) else { Issue.record("signIn"); return }
        #expect(message.text.hasPrefix("seller.test wants you to sign in with your Ethereum account:\n\(WalletFixture.payer)\n\n\nURI: http://seller.test/weather"))
        let credential = SignInCredential(message: message, signature: Array(repeating: 1, count: 65))
        #expect(f.signedIn(credential) == .sendSignedIn(credential))
        let done = f.signInAnswered(.accepted)
        #expect(done == .finish(FlowOutcome(kind: .signedIn, signatures: 0, signIn: .signedIn(address: WalletFixture.payerAddress, chain: "eip155:84532"))))
    }

    @Test func aSignInTheServerRefusesIsFollowedByPayingTheFreshOffer() throws {
        var f = signInFlow()
        _ = f.start()
        _ = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge())))
        guard case let .signIn(message) = f.priorPaymentFound(PriorPayment(paymentID: 7, network: "eip155:84532")) else { Issue.record("signIn"); return }
        _ = f.signedIn(SignInCredential(message: message, signature: Array(repeating: 1, count: 65)))
        let fresh = try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(amount: "20000")], extensions: Self.challenge()))
        guard case let .reserve(plan) = f.signInAnswered(.paymentRequired(fresh)) else { Issue.record("reserve"); return }
        #expect(plan.offer == fresh && plan.micros == Micros(20_000))
        #expect(f.signInNote == .notAccepted(status: 402))
    }

    @Test func noPriorPaymentMeansNoSignature() throws {
        var f = signInFlow()
        _ = f.start()
        _ = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge())))
        guard case .reserve = f.priorPaymentFound(nil) else { Issue.record("reserve"); return }
        #expect(f.signInNote == .notPaidBefore)
    }

    @Test(arguments: [("other.invalid", "http://other.invalid/weather", "eip155:84532", "siwx.domain_mismatch"),
                      ("seller.test", "https://seller.test/weather", "eip155:84532", "siwx.uri_mismatch"),
                      ("seller.test", "http://seller.test/weather", "eip155:1", "siwx.chain_not_offered")])
    func aChallengeForAnotherOriginOrChainIsNotSigned(domain: String, uri: String, chain: String, code: String) throws {
        var f = signInFlow()
        _ = f.start()
        _ = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge(domain: domain, uri: uri, chain: chain))))
        guard case .reserve = f.priorPaymentFound(PriorPayment(paymentID: 7, network: "eip155:84532")) else { Issue.record("reserve, not a signature"); return }
        guard case let .refused(r)? = f.signInNote else { Issue.record("note \(String(describing: f.signInNote))"); return }
        #expect(r.code == code)
    }

    @Test func anExpiredChallengeIsNotSigned() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config, now: Self.siwxNow + 3_600))
        _ = f.start()
        _ = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge())))
        guard case .reserve = f.priorPaymentFound(PriorPayment(paymentID: 7, network: "eip155:84532")) else { Issue.record("reserve"); return }
        #expect(f.signInNote.map { if case let .refused(r) = $0 { r.kind == .expired } else { false } } == true)
    }

    @Test func aDeniedHostGetsNoSignInEither() throws {
        let denied = try WalletFixture.config(#"{"maxPerRequest":"0.10","hosts":{"deny":["seller.test"]}}"#)
        var f = signInFlow(denied)
        _ = f.start()
        guard case let .finish(outcome) = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge()))) else { Issue.record("finish"); return }
        guard case let .refused(r) = outcome.kind else { Issue.record("refused"); return }
        #expect(r.code == "policy.host_denied" && outcome.signatures == 0 && outcome.signIn == nil)
    }

    @Test func signInCanBeTurnedOff() throws {
        var off = config
        off.payment.signIn = false
        var f = signInFlow(off)
        _ = f.start()
        guard case .reserve = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.challenge()))) else { Issue.record("reserve"); return }
        #expect(f.signInNote == .disabled)
    }

    // MARK: signed offers

    static func signedOffer(key: PrivateKey = offerKey, network: String = "eip155:84532", asset: String = WalletFixture.token, payTo: String = WalletFixture.seller,
                            amount: String = "10000", validUntil: UInt64 = 1_900_000_000, resourceUrl: String = "http://seller.test/weather",
                            signature: String? = nil) -> JSONValue {
        let data = OfferTypedData(version: UInt256(1), resourceUrl: resourceUrl, scheme: "exact", network: network, asset: asset,
                                  payTo: payTo, amount: amount, validUntil: UInt256(validUntil))
        return ["format": "eip712", "acceptIndex": 0,
                "payload": ["version": 1, "resourceUrl": .string(resourceUrl), "scheme": "exact", "network": .string(network), "asset": .string(asset),
                            "payTo": .string(payTo), "amount": .string(amount), "validUntil": .integer(validUntil)],
                "signature": .string(signature ?? key.sign(digest: data.digest).hex)]
    }

    static func offers(_ offers: JSONValue...) -> JSONValue { ["offer-receipt": ["info": ["offers": .array(offers)]]] }

    @Test func aMatchingOfferIsKeptWithItsSigner() throws {
        var f = flow()
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.offers(Self.signedOffer())))) else { Issue.record("reserve"); return }
        #expect(plan.offerEvidence?.signer == Self.offerKey.address && plan.offerEvidence?.authorization == .unverified)

        var g = flow(signers: [Self.offerKey.address])
        _ = g.start()
        guard case let .reserve(p2) = g.unpaidAnswered(.offer(try Self.offer(extensions: Self.offers(Self.signedOffer())))) else { Issue.record("reserve"); return }
        #expect(p2.offerEvidence?.authorization == .configured)

        var h = flow()
        _ = h.start()
        guard case let .reserve(p3) = h.unpaidAnswered(.offer(try Self.offer(extensions: Self.offers(Self.signedOffer(key: Self.sellerKey))))) else { Issue.record("reserve"); return }
        #expect(p3.offerEvidence?.authorization == .payTo)
    }

    @Test(arguments: [
        ("payTo", signedOffer(payTo: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")),
        ("amount", signedOffer(amount: "5000")),
        ("resourceUrl", signedOffer(resourceUrl: "http://seller.test/other")),
        ("expired", signedOffer(validUntil: 1_799_999_999)),
        ("signature", signedOffer(signature: "0x" + String(repeating: "00", count: 65))),
        ("signature", signedOffer(signature: "0x1234")),
    ])
    func aMismatchedExpiredOrBadlySignedOfferIsRefusedBeforeReserving(what: String, offer: JSONValue) throws {
        var f = flow()
        _ = f.start()
        guard case let .finish(outcome) = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.offers(offer)))) else { Issue.record("finish, not reserve"); return }
        guard case let .refused(r) = outcome.kind else { Issue.record("\(outcome)"); return }
        #expect(r.code == "x402.offer_mismatch")
        #expect(r.message.contains(what == "expired" ? "expired" : what), "\(r.message)")
        #expect(outcome.plan == nil && outcome.signatures == 0)
    }

    @Test func aConfiguredHostRefusesAnotherSigner() throws {
        var f = flow(signers: [Self.sellerKey.address, try Address(parsing: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")])
        _ = f.start()
        guard case let .finish(outcome) = f.unpaidAnswered(.offer(try Self.offer(extensions: Self.offers(Self.signedOffer())))) else { Issue.record("finish"); return }
        guard case let .refused(r) = outcome.kind else { Issue.record("refused"); return }
        #expect(r.code == "x402.offer_mismatch" && r.message.contains(Self.offerKey.address.checksummed))
    }

    @Test func offersAreMatchedByFieldsNotByIndex() throws {
        var f = flow()
        _ = f.start()
        // The first offer (acceptIndex 0) is for another amount; the second matches.
        let ext = Self.offers(Self.signedOffer(amount: "1"), Self.signedOffer())
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try Self.offer(extensions: ext))) else { Issue.record("reserve"); return }
        #expect(plan.offerEvidence?.offer.terms?.amount == "10000")
    }

    // MARK: signed receipts

    static func receipt(key: PrivateKey = offerKey, payer: String = WalletFixture.payer, transaction: String = tx) -> JSONValue {
        let data = ReceiptTypedData(version: UInt256(1), network: "eip155:84532", resourceUrl: "http://seller.test/weather", payer: payer,
                                    issuedAt: UInt256(1_800_000_000), transaction: transaction)
        return ["success": true, "transaction": .string(tx), "network": "eip155:84532", "payer": .string(WalletFixture.payer),
                "extensions": ["offer-receipt": ["info": ["receipt": [
                    "format": "eip712",
                    "payload": ["version": 1, "network": "eip155:84532", "resourceUrl": "http://seller.test/weather", "payer": .string(payer),
                                "issuedAt": 1_800_000_000, "transaction": .string(transaction)],
                    "signature": .string(key.sign(digest: data.digest).hex)]]]]]
    }

    func settleWithReceipt(_ doc: JSONValue?) throws -> FlowOutcome {
        var f = flow()
        _ = try toPaid(&f, try Self.offer(extensions: Self.offers(Self.signedOffer())))
        let receipt = try doc.map(Self.settlement) ?? Self.settlement(["success": true, "transaction": .string(Self.tx)])
        guard case let .finish(outcome) = f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) else { throw PurseError("t", "finish") }
        return outcome
    }

    @Test func aReceiptByTheOfferSignerForThisPaymentVerifies() throws {
        let evidence = try #require(try settleWithReceipt(Self.receipt()).receiptEvidence)
        #expect(evidence.verified && evidence.authorization == .offerSigner && evidence.problems.isEmpty)
        #expect(evidence.json["verified"] == true)
    }

    @Test func aBadReceiptIsNotedNotFatal() throws {
        let other = try settleWithReceipt(Self.receipt(payer: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"))
        #expect(other.kind == .paid && other.resolution == .settle(transaction: Self.tx))
        #expect(other.receiptEvidence?.verified == false && other.receiptEvidence?.problems.first?.contains("payer") == true)
        let wrongTx = try settleWithReceipt(Self.receipt(transaction: "0x" + String(repeating: "cd", count: 32)))
        #expect(wrongTx.receiptEvidence?.problems.first?.contains("transaction") == true)
        let wrongKey = try settleWithReceipt(Self.receipt(key: PrivateKey.random()))
        #expect(wrongKey.receiptEvidence?.authorization == .unverified && wrongKey.receiptEvidence?.verified == false)
        let missing = try settleWithReceipt(nil)
        #expect(missing.receiptEvidence?.verified == false && missing.receiptEvidence?.receipt == nil)
    }

    // MARK: the HTTP channel

    @Test func aPendingSettleAnswerIsClassifiedPending() throws {
        let doc: JSONValue = ["success": false, "errorReason": "settlement_pending", "transaction": .string(Self.tx)]
        let receipt = Base64.encode(doc.encodedBytes())
        let answer = HTTPPaymentChannel.paidAnswer(WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", receipt)], body: "{}"))
        guard case let .pending(status, r) = answer else { Issue.record("\(answer)"); return }
        #expect(status == 402 && r.transaction == Self.tx)
        guard case .rejected = HTTPPaymentChannel.paidAnswer(WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(success: false))])) else {
            Issue.record("a plain failure stays rejected"); return
        }
    }

    @Test func theChannelKnowsTheOriginAndPath() throws {
        let channel = try HTTPPaymentChannel(request: HTTPRequest(method: "GET", url: "https://API.example.com:443/a/b?q=1"), http: NoHTTP())
        #expect(channel.resource.key == "https://api.example.com/a/b")
        #expect(channel.supportsSignIn)
        #expect(HTTPPaymentChannel.signInAnswer(WalletFixture.response(200)) == .accepted)
        #expect(HTTPPaymentChannel.signInAnswer(WalletFixture.response(500)) == .other(status: 500))
    }
}

/// An HTTP client that must not be called.
struct NoHTTP: HTTPClient {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        throw HTTPError(.transport, "not in this test", requestMayHaveBeenSent: false)
    }
}
