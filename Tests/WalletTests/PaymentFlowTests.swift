import HTTP
import Ledger
import PurseCore
import Solana
import Testing
@testable import Wallet
@testable import X402

/// The payment state machine, event by event. Actions and outcomes are values, so each step is
/// one `#expect(action == …)`.
@Suite struct PaymentFlowTests {
    let config: PurseConfig

    init() throws { config = try WalletFixture.config() }

    func flow(_ config: PurseConfig? = nil, maxPrice: Int64? = nil) -> PaymentFlow {
        PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config ?? self.config, maxPrice: maxPrice))
    }

    /// Drives a flow up to the first paid send, returning the payload and the plan.
    func toPaid(_ flow: inout PaymentFlow) throws -> (PaymentPayload, PaymentPlan) {
        #expect(flow.start() == .sendUnpaid)
        let action = flow.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired())))
        guard case let .reserve(plan) = action else { throw PurseError("t", "expected reserve, got \(action)") }
        #expect(flow.reserved() == .sign(plan))
        let sent = flow.signed(WalletFixture.authorization(plan))
        guard case let .sendPaid(payload, 1, 0) = sent else { throw PurseError("t", "expected sendPaid, got \(sent)") }
        return (payload, plan)
    }

    @Test func notPaymentRequiredFinishesWithoutReserving() {
        var f = flow()
        #expect(f.start() == .sendUnpaid)
        #expect(f.unpaidAnswered(.notPaymentRequired) == .finish(FlowOutcome(kind: .notPaymentRequired)))
    }

    @Test func unreadableOfferIsRefused() {
        var f = flow()
        _ = f.start()
        let e = X402Error(.badValue, field: "accepts", "empty")
        #expect(f.unpaidAnswered(.unreadableOffer(e)) == .finish(FlowOutcome(kind: .refused(FlowRefusal(e)))))
    }

    @Test func planHasWindowNonceAndCheapestOption() throws {
        var f = flow()
        _ = f.start()
        let offer = try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(amount: "50000"), WalletFixture.entry(amount: "20000", timeout: 60)]))
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(offer)) else { Issue.record("expected reserve"); return }
        #expect(plan.requirement.index == 1)
        #expect(plan.micros == Micros(20_000))
        let a = try #require(plan.eip3009)
        #expect(a.validAfter == 1_800_000_000 - 600)
        #expect(plan.validBefore == 1_800_000_000 + 60)  // min(maxTimeoutSeconds 60, ceiling 300)
        #expect(a.nonce == WalletFixture.nonce && plan.reference == .eip3009(nonce: WalletFixture.nonce))
        #expect(plan.host == HostName("seller.test"))
        #expect(plan.payTo == .evm(WalletFixture.sellerAddress) && plan.token == .evm(WalletFixture.tokenAddress) && plan.payer == .evm(WalletFixture.payerAddress))
        #expect(f.offer == offer && f.selection?.chosen?.index == 1)
    }

    @Test func validityIsCappedByTheCeiling() throws {
        var config = self.config
        config.payment.validityCeilingSeconds = 120
        var f = flow(config)
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(timeout: 3600)])))) else {
            Issue.record("reserve"); return
        }
        #expect(plan.validBefore - 1_800_000_000 == 120)
    }

    @Test func payloadEchoesAcceptedVerbatimAndSignsThePlan() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        #expect(payload.httpHeaderName == "PAYMENT-SIGNATURE")
        #expect(payload.document["accepted"] == plan.requirement.raw)
        #expect(payload.document["payload"]?["authorization"]?["nonce"]?.stringValue == plan.eip3009?.nonce.hex)
        #expect(payload.document["payload"]?["authorization"]?["validBefore"]?.stringValue == String(plan.validBefore))
        #expect(payload.document["accepted"]?["extra"]?.isNull == false)
        #expect(try JSONValue.parse(try Base64.decode(payload.base64)) == payload.document)
    }

    @Test func deliveredWithReceiptSettles() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        let receipt = try #require(try SettlementResponse.parse(header: { $0 == "PAYMENT-RESPONSE" ? WalletFixture.receipt() : nil }))
        let expected = FlowOutcome(kind: .paid, plan: plan, receipt: receipt, resolution: .settle(transaction: "0x" + String(repeating: "ab", count: 32)),
                                   signatures: 1, paidAttempts: 1)
        #expect(f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) == .finish(expected))
    }

    /// A success receipt for another chain does not settle the row: the hash proves nothing
    /// about this authorization, so the row stays unknown (counted) for reconcile. The legacy v1
    /// name of the same network, or no network at all, settles as before.
    @Test(arguments: [("eip155:1", false), ("base-sepolia", true), ("eip155:84532", true), (nil, true)] as [(String?, Bool)])
    func aReceiptForAnotherNetworkDoesNotSettle(network: String?, settles: Bool) throws {
        var f = flow()
        _ = try toPaid(&f)
        var doc: JSONObject = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32))]
        if let network { doc["network"] = .string(network) }
        let receipt = try SettlementResponse.decode(Base64.encode(JSONValue.object(doc).encodedBytes()), field: "PAYMENT-RESPONSE")
        guard case let .finish(outcome) = f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) else { Issue.record("not finished"); return }
        #expect(outcome.kind == .paid)
        if settles {
            #expect(outcome.resolution == .settle(transaction: "0x" + String(repeating: "ab", count: 32)))
        } else {
            #expect(outcome.resolution == .unknown("the receipt reports settlement on eip155:1, but the payment was signed for eip155:84532; reconcile will ask the chain"))
        }
    }

    @Test func deliveredWithoutReceiptIsPaidButUnknownInTheLedger() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        let action = f.paidAnswered(.delivered(receipt: nil, receiptProblem: nil))
        let expected = FlowOutcome(kind: .paid, plan: plan, resolution: .unknown("content delivered but the server sent no receipt; reconcile will ask the chain"),
                                   signatures: 1, paidAttempts: 1)
        #expect(action == .finish(expected))
    }

    @Test func serverErrorsResendTheSamePayloadThenUnknown() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        #expect(f.paidAnswered(.serverError(status: 502, receipt: nil)) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
        #expect(f.paidAnswered(.serverError(status: 500, receipt: nil)) == .sendPaid(payload, attempt: 3, delayMilliseconds: 1_000))
        let reason = "the paid request got HTTP 500; settlement is not confirmed"
        #expect(f.paidAnswered(.serverError(status: 500, receipt: nil))
            == .finish(FlowOutcome(kind: .unknown(reason: reason), plan: plan, resolution: .unknown(reason), signatures: 1, paidAttempts: 3)))
    }

    @Test func transportFailuresThatNeverSentReleaseTheReservation() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        let refused = FlowRefusal(HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false) == .sendPaid(payload, attempt: 3, delayMilliseconds: 1_000))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false)
            == .finish(FlowOutcome(kind: .refused(refused), plan: plan, resolution: .release("the paid request never left: \(refused.message)"),
                                   signatures: 1, paidAttempts: 3)))
    }

    @Test func aTimeoutAfterSendingIsUnknownNotReleased() throws {
        var f = flow()
        _ = try toPaid(&f)
        let timeout = FlowRefusal(HTTPError(.timeout, "t", requestMayHaveBeenSent: true))
        let refused = FlowRefusal(HTTPError(.connectFailed, "c", requestMayHaveBeenSent: false))
        _ = f.transportFailed(timeout, mayHaveBeenSent: true)
        _ = f.transportFailed(refused, mayHaveBeenSent: false)
        guard case let .finish(o) = f.transportFailed(refused, mayHaveBeenSent: false) else { Issue.record("finish"); return }
        guard case .unknown = o.resolution else { Issue.record("expected unknown, got \(o.resolution)"); return }
        #expect(o.signatures == 1 && o.paidAttempts == 3)
    }

    @Test func rejectionFailsWithoutSigningAgain() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        #expect(f.paidAnswered(.rejected(receipt: nil, reason: "invalid_exact_evm_insufficient_balance"))
            == .finish(FlowOutcome(kind: .paymentFailed(reason: "invalid_exact_evm_insufficient_balance"), plan: plan,
                                   resolution: .fail("invalid_exact_evm_insufficient_balance"), signatures: 1, paidAttempts: 1)))
    }

    @Test func overCapIsRefusedBeforeReserving() throws {
        var f = flow(maxPrice: 5_000)
        _ = f.start()
        guard case let .finish(o) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))), case let .refused(e) = o.kind else {
            Issue.record("refused"); return
        }
        #expect(e.code == "policy.no_acceptable_option")
        #expect(e.message.contains("per-request cap of 0.005 USDC"))
        #expect(o.resolution == .none && o.signatures == 0 && o.plan == nil)
    }

    @Test func deniedHostIsRefusedBeforeSelection() throws {
        var f = flow(try WalletFixture.config(#"{"hosts":{"deny":["*.test"]}}"#))
        _ = f.start()
        let action = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired())))
        #expect(action == .finish(FlowOutcome(kind: .refused(FlowRefusal(code: "policy.host_denied", message: "host seller.test is denied by policy.hosts.deny (*.test)")))))
        #expect(f.selection == nil)  // host rules come before the options are even judged
    }

    @Test func reservationRefusalEndsWithNothingToRelease() throws {
        var f = flow()
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        let r = FlowRefusal(code: "budget.daily_exceeded", message: "daily")
        #expect(f.reservationRefused(r) == .finish(FlowOutcome(kind: .refused(r), plan: plan)))
    }

    @Test func approvalDeclinedReleases() throws {
        var f = flow(try WalletFixture.config(#"{"confirmAbove":"0.005"}"#))
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        #expect(f.reserved() == .askApproval(plan))
        let no = FlowRefusal(code: "approval.declined", message: "no")
        #expect(f.declined(no) == .finish(FlowOutcome(kind: .refused(no), plan: plan, resolution: .release("no"))))
    }

    @Test func approvalApprovedSigns() throws {
        var f = flow(try WalletFixture.config(#"{"confirmAbove":"0.005"}"#))
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        _ = f.reserved()
        #expect(f.approved() == .sign(plan))
    }

    @Test func signingIsImpossibleBeforeReservation() throws {
        var f = flow()
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        // A signature before `reserved` is refused as misuse: nothing is sent, and there is no
        // reservation to release.
        let action = f.signed(WalletFixture.authorization(plan))
        guard case let .finish(o) = action, case let .refused(e) = o.kind else { Issue.record("finish, got \(action)"); return }
        #expect(e.code == "flow.unexpected_event" && o.paidAttempts == 0 && o.resolution == .none)
    }

    @Test func aSecondSignatureIsNeverAccepted() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        guard case let .finish(o) = f.signed(WalletFixture.authorization(plan)) else { Issue.record("finish"); return }
        // The payment already left: the row stays counted for reconcile; still one signature.
        #expect(o.signatures == 1 && o.resolution == .unknown("internal error: unexpected event in the payment flow"))
    }

    @Test func paymentIdentifierOnlyWhenAdvertised() throws {
        var f = flow()
        _ = f.start()
        let ext: JSONValue = ["payment-identifier": ["info": ["required": false]]]
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry()], extensions: ext)))) else {
            Issue.record("reserve"); return
        }
        _ = f.reserved()
        guard case let .sendPaid(payload, _, _) = f.signed(WalletFixture.authorization(plan)) else { Issue.record("sendPaid"); return }
        #expect(payload.document["extensions"]?["payment-identifier"]?["info"]?["id"]?.stringValue == "pay_" + String(repeating: "0", count: 32))

        var plain = flow()
        let (noID, _) = try toPaid(&plain)
        #expect(noID.document["extensions"] == nil)
    }

    /// What a reserved row counts once its outcome is recorded: the budget a paid result reports
    /// is derived from this, so it must agree with the ledger's rule (every status but `failed`
    /// counts; a charge replaces the maximum).
    @Test func theRowCountsWhatItsOutcomeLeaves() {
        let reserved = Micros(50_000)
        let charge = SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt)
        let cases: [(FlowOutcome.Resolution, SettledCharge?, Micros)] = [
            (.release("declined"), nil, .zero), (.fail("refused"), nil, .zero), (.settle(transaction: nil), nil, reserved),
            (.settle(transaction: "0xab"), charge, Micros(12_300)), (.unknown("no answer"), nil, reserved), (.none, nil, reserved),
        ]
        for (resolution, c, expected) in cases {
            #expect(FlowOutcome(kind: .paid, resolution: resolution, charge: c).countedMicros(reserved: reserved) == expected, "\(resolution)")
        }
    }

    /// The write that records an outcome ends the row where `recordedStatus` (and so the budget a
    /// paid result reports) says it does, and carries the answer's status, transaction and charge.
    @Test func theOutcomeWriteLeavesTheRecordedStatus() {
        let charge = SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt)
        let resolutions: [FlowOutcome.Resolution] = [.none, .release("declined"), .fail("refused"), .settle(transaction: "0xab"), .unknown("no answer")]
        for resolution in resolutions {
            let outcome = FlowOutcome(kind: .paid, resolution: resolution, charge: charge)
            #expect(outcome.ledgerWrite(httpStatus: 200)?.status == outcome.recordedStatus, "\(resolution)")
        }
        #expect(FlowOutcome(kind: .paid, resolution: .settle(transaction: "0xab"), charge: charge).ledgerWrite(httpStatus: 200)
            == .settled(txHash: "0xab", httpStatus: 200, receipt: nil, charge: charge))
        #expect(FlowOutcome(kind: .paid, resolution: .release("declined")).ledgerWrite(httpStatus: nil) == .failed(error: "declined", httpStatus: nil))
    }
}

// MARK: - Solana `exact`

extension PaymentFlowTests {
    /// A 402 offering EVM and a cheaper Solana `exact`, through the whole flow with the real signer.
    @Test func aSolanaOfferIsPlannedReservedSignedOnceAndSettled() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.solanaContext(try WalletFixture.config(WalletFixture.solanaPolicy)))
        #expect(f.start() == .sendUnpaid)
        let offer = try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(amount: "20000"), SolanaFlowTests.entry(amount: "10000")]))
        guard case .readChain(.solanaPayment) = f.unpaidAnswered(.offer(offer)) else { Issue.record("the Solana option was not planned"); return }
        guard case let .reserve(plan) = f.chainAnswered(SolanaFlowTests.facts), case let .solanaExact(exact) = plan.authorization else {
            Issue.record("no Solana plan")
            return
        }
        #expect(plan.requirement.index == 1 && plan.method == .exactSolana && plan.micros == Micros(10_000))
        #expect(plan.reference == .solana(message: try SolanaMessageDigest(bytes: exact.message.digest)))
        #expect(f.reserved() == .sign(plan))
        let signer = CountingSigner(WalletFixture.solanaSigner)
        let signed = try signer.sign(plan)
        guard case let .solana(transaction) = signed, case let .sendPaid(payload, 1, 0) = f.signed(signed) else {
            Issue.record("not sent")
            return
        }
        // The header carries the transaction: the planned message, the payer's Ed25519 signature in slot 1.
        #expect(payload.httpHeaderName == "PAYMENT-SIGNATURE")
        let sentText = try #require(payload.document["payload"]?["transaction"]?.stringValue)
        let sent = try SolanaTransaction(base64: sentText)
        #expect(sentText == transaction.transactionBase64 && sent.message == exact.message && sent.signatures[0].isEmpty)
        #expect(SolanaFlowTests.keypair.publicKey.isValidSignature(sent.signatures[1], for: sent.message.serialized()))
        #expect(payload.document["accepted"]?["network"]?.stringValue == SolanaFlowTests.devnet)
        let id = PaymentDriverTests.cosignature(sent).base58
        let doc: JSONValue = ["success": true, "transaction": .string(id), "network": .string(SolanaFlowTests.devnet)]
        let receipt = try #require(try SettlementResponse.parse(header: { $0 == "PAYMENT-RESPONSE" ? Base64.encode(doc.encodedBytes()) : nil }))
        guard case let .finish(outcome) = f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) else { Issue.record("not finished"); return }
        #expect(outcome.kind == .paid && outcome.resolution == .settle(transaction: id) && outcome.plan == plan)
        #expect(outcome.signatures == 1 && signer.count == 1)
    }

    /// The seller signed its true terms (offer-receipt); the Solana option on the wire names
    /// another payee or mint: refused once the option is planned (after the read-only mint and
    /// blockhash question), with nothing reserved or signed.
    @Test(arguments: [
        ("payTo", SolanaFlowTests.entry(payTo: "5LzBuKMJqiYfecwxrs3BGYLbJXGNg2V3TDAAMf7e4Qip"), SolanaFlowTests.mint),
        ("asset", SolanaFlowTests.entry(), "4p3wozU1dfXe4eYbMfm3RSCi2F9D38bqzyTPbAkc8qnD"),
    ])
    func aTamperedSolanaOfferIsRefusedBeforeReserving(field: String, wire: JSONValue, signedMint: String) throws {
        let config = try WalletFixture.config(WalletFixture.solanaPolicy)
        func planned(_ entry: JSONValue, signed mint: String) throws -> FlowAction {
            var f = PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.solanaContext(config))
            _ = f.start()
            let offers = ExtensionFlowTests.offers(ExtensionFlowTests.signedOffer(network: SolanaFlowTests.devnet, asset: mint, payTo: SolanaFlowTests.seller))
            guard case .readChain(.solanaPayment) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired([entry], extensions: offers)))) else {
                throw PurseError("t", "no chain question")
            }
            return f.chainAnswered(SolanaFlowTests.facts)
        }
        // The untampered option with the same signed offer is planned, the offer kept as evidence.
        guard case let .reserve(plan) = try planned(SolanaFlowTests.entry(), signed: SolanaFlowTests.mint) else {
            Issue.record("the matching signed offer was refused")
            return
        }
        #expect(plan.offerEvidence?.signer == ExtensionFlowTests.offerKey.address)
        guard case let .finish(outcome) = try planned(wire, signed: signedMint), case let .refused(r) = outcome.kind else {
            Issue.record("the tampered \(field) was not refused")
            return
        }
        #expect(r.code == "x402.offer_mismatch" && r.message.contains(field), "\(r.message)")
        #expect(outcome.plan == nil && outcome.signatures == 0)
    }
}
