import EVM
import HTTP
import Ledger
import PurseCore
import Testing
@testable import Wallet
@testable import X402

/// The payment flow for Permit2 `exact` and `upto`: the chain question before the plan, the
/// plan's values, the refusals that leave nothing signed, and the charge of an `upto` settlement.
@Suite struct SchemeFlowTests {
    let config: PurseConfig
    static let now: Int64 = 1_800_000_000
    static let facilitator = try! Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")

    init() throws { config = try WalletFixture.config() }

    func flow() -> PaymentFlow { PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config, now: Self.now)) }

    static func permit2Entry(amount: String = "10000") -> JSONValue {
        WalletFixture.entry(amount: amount, extra: ["name": "USDC", "version": "2", "assetTransferMethod": "permit2"])
    }

    static func uptoEntry(max: String = "50000", facilitator: String = SchemeFlowTests.facilitator.checksummed) -> JSONValue {
        var e = WalletFixture.entry(amount: max, extra: ["name": "USDC", "version": "2", "assetTransferMethod": "permit2",
                                                         "facilitatorAddress": .string(facilitator)]).objectValue!
        e["scheme"] = "upto"
        return .object(e)
    }

    static func question(amount: Int64 = 10_000, permitIfShort: Bool = false) -> FlowAction {
        .readChain(.permit2Allowance(Permit2AllowanceQuestion(
            network: "eip155:84532", token: WalletFixture.tokenAddress, owner: WalletFixture.payerAddress, amount: amount,
            permitIfShort: permitIfShort)))
    }

    static func allowance(_ a: UInt256, nonce: UInt256? = nil, separator: [UInt8]? = nil) -> Result<ChainAnswer, FlowRefusal> {
        .success(.permit2Allowance(Permit2Allowance(allowance: a, permitNonce: nonce, domainSeparator: separator,
                                                    permitProblem: nonce == nil ? "execution reverted" : nil)))
    }

    /// Starts a flow on `entries` and returns the first action after the offer.
    func offered(_ f: inout PaymentFlow, _ entries: [JSONValue], extensions: JSONValue? = nil) throws -> FlowAction {
        #expect(f.start() == .sendUnpaid)
        return f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired(entries, extensions: extensions))))
    }

    /// The plan the flow must make for the option at `index` with this authorization.
    func expectedPlan(_ f: PaymentFlow, index: Int = 0, _ authorization: AuthorizationPlan) throws -> PaymentPlan {
        let offer = try #require(f.offer)
        let v = try #require(f.selection?.verdicts[index])
        return PaymentPlan(offer: offer, requirement: try #require(v.requirement), method: try #require(v.method), asset: try #require(v.asset),
                           token: .evm(WalletFixture.tokenAddress), payTo: .evm(WalletFixture.sellerAddress), micros: try #require(v.micros),
                           resource: WalletFixture.resource, authorization: authorization, paymentIdentifier: nil)
    }

    func refusal(_ action: FlowAction) -> FlowOutcome? {
        guard case let .finish(o) = action, case .refused = o.kind else { return nil }
        return o
    }

    @Test func permit2ExactAsksTheAllowanceThenPlansTheWitnessTransfer() throws {
        var f = flow()
        #expect(try offered(&f, [Self.permit2Entry()]) == Self.question())
        let action = f.chainAnswered(Self.allowance(.max))
        let plan = try expectedPlan(f, .permit2(Permit2Plan(
            from: WalletFixture.payerAddress, token: WalletFixture.tokenAddress, amount: 10_000, spender: Permit2Addresses.exactProxy,
            nonce: WalletFixture.nonce, deadline: Self.now + 300, witness: .exact(to: WalletFixture.sellerAddress, validAfter: Self.now - 600),
            chainId: 84532)))
        #expect(action == .reserve(plan))
        #expect(plan.reference == .permit2(nonce: WalletFixture.nonce))
        #expect(f.reserved() == .sign(plan))
    }

    @Test func withoutAllowanceOrExtensionNothingIsReservedOrSigned() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()])
        let o = try #require(refusal(f.chainAnswered(Self.allowance(UInt256(9_999)))))
        guard case let .refused(e) = o.kind else { return }
        #expect(e.code == "permit2.allowance_required")
        #expect(e.message.contains("approve(0x000000000022D473030F116dDEE9F6B43aC78BA3"))
        #expect(o.plan == nil && o.signatures == 0 && o.resolution == FlowOutcome.Resolution.none)
        #expect(f.selection?.verdicts[0].reasons.map(\.code) == ["permit2.allowance_required"])
    }

    @Test func anEIP2612PermitApprovesExactlyTheAmount() throws {
        var f = flow()
        let offered = try offered(&f, [Self.permit2Entry()], extensions: ["eip2612GasSponsoring": ["info": ["version": "1"]]])
        #expect(offered == Self.question(permitIfShort: true))
        let domain = EIP712Domain(name: "USDC", version: "2", chainId: 84532, verifyingContract: WalletFixture.tokenAddress)
        let action = f.chainAnswered(Self.allowance(.zero, nonce: UInt256(5), separator: domain.separator))
        let permit = EIP2612PermitPlan(owner: WalletFixture.payerAddress, spender: Permit2Addresses.permit2, value: 10_000, nonce: UInt256(5),
                                       deadline: Self.now + 300, token: WalletFixture.tokenAddress, chainId: 84532, domainName: "USDC",
                                       domainVersion: "2")
        let plan = try expectedPlan(f, .permit2(Permit2Plan(
            from: WalletFixture.payerAddress, token: WalletFixture.tokenAddress, amount: 10_000, spender: Permit2Addresses.exactProxy,
            nonce: WalletFixture.nonce, deadline: Self.now + 300, witness: .exact(to: WalletFixture.sellerAddress, validAfter: Self.now - 600),
            chainId: 84532, permit: permit)))
        #expect(action == .reserve(plan))
    }

    @Test(arguments: [
        (UInt256?.none, [UInt8]?.none, "permit2.eip2612_unsupported"),
        (UInt256(5), [UInt8](repeating: 1, count: 32), "permit2.eip2612_domain_mismatch"),
    ])
    func aPermitTheTokenWouldRefuseIsNotSigned(nonce: UInt256?, separator: [UInt8]?, code: String) throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()], extensions: ["eip2612GasSponsoring": ["info": ["version": "1"]]])
        let o = try #require(refusal(f.chainAnswered(Self.allowance(.zero, nonce: nonce, separator: separator))))
        guard case let .refused(e) = o.kind else { return }
        #expect(e.code == code && o.signatures == 0)
    }

    @Test func anUnlimitedApprovalIsRefusedWithAReason() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()], extensions: ["erc20ApprovalGasSponsoring": ["info": ["version": "1"]]])
        let o = try #require(refusal(f.chainAnswered(Self.allowance(.zero))))
        guard case let .refused(e) = o.kind else { return }
        #expect(e.code == "permit2.unlimited_approval_refused")
        #expect(e.message.contains("unlimited approval"))
        #expect(o.signatures == 0)
    }

    @Test func aPermit2OptionRuledOutByTheChainFallsBackToTheNextCheapest() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry(amount: "10000"), WalletFixture.entry(amount: "20000")])
        guard case let .reserve(plan) = f.chainAnswered(Self.allowance(.zero)) else { Issue.record("expected reserve"); return }
        #expect(plan.requirement.index == 1 && plan.method == .exactEIP3009)
        #expect(f.selection?.chosen?.index == 1)
        #expect(f.selection?.verdicts[0].reasons.map(\.code) == ["permit2.allowance_required"])
    }

    @Test func aChainThatCannotBeAskedRefusesTheOption() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()])
        let o = try #require(refusal(f.chainAnswered(.failure(FlowRefusal(code: "rpc.transport", message: "down")))))
        guard case let .refused(e) = o.kind else { return }
        #expect(e.code == "chain.read_failed" && o.signatures == 0)
    }

    @Test func uptoSignsTheMaximumForTheNamedFacilitator() throws {
        var f = flow()
        #expect(try offered(&f, [Self.uptoEntry()]) == Self.question(amount: 50_000))
        let plan = try expectedPlan(f, .permit2(Permit2Plan(
            from: WalletFixture.payerAddress, token: WalletFixture.tokenAddress, amount: 50_000, spender: Permit2Addresses.uptoProxy,
            nonce: WalletFixture.nonce, deadline: Self.now + 300,
            witness: .upto(to: WalletFixture.sellerAddress, facilitator: Self.facilitator, validAfter: Self.now - 600), chainId: 84532)))
        #expect(f.chainAnswered(Self.allowance(.max)) == .reserve(plan))
        #expect(plan.micros == Micros(50_000) && plan.method.settlesActualAmount)
    }

    @Test func uptoNamingThisWalletAsFacilitatorIsRefusedBeforeAnything() throws {
        var f = flow()
        let o = try #require(refusal(try offered(&f, [Self.uptoEntry(facilitator: WalletFixture.payer)])))
        guard case let .refused(e) = o.kind else { return }
        #expect(e.code == "option.upto_facilitator_invalid" && o.signatures == 0)
    }

    /// Drives an `upto` flow to its paid answer.
    func uptoPaid() throws -> (PaymentFlow, PaymentPlan) {
        var f = flow()
        _ = try offered(&f, [Self.uptoEntry()])
        guard case let .reserve(plan) = f.chainAnswered(Self.allowance(.max)) else { throw PurseError("t", "expected reserve") }
        #expect(f.reserved() == .sign(plan))
        guard case .sendPaid = f.signed(WalletFixture.authorization(plan)) else { throw PurseError("t", "expected sendPaid") }
        return (f, plan)
    }

    static func receipt(amount: String?) throws -> SettlementResponse {
        var o: JSONObject = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532"]
        if let amount { o["amount"] = .string(amount) }
        return try SettlementResponse.decode(Base64.encode(JSONValue.object(o).encodedBytes()), field: "PAYMENT-RESPONSE")
    }

    @Test func uptoIsChargedTheSettledAmount() throws {
        var (f, plan) = try uptoPaid()
        let receipt = try Self.receipt(amount: "12300")
        let expected = FlowOutcome(kind: .paid, plan: plan, receipt: receipt, resolution: .settle(transaction: receipt.transaction),
                                   signatures: 1, paidAttempts: 1, charge: SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt))
        #expect(f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) == .finish(expected))
    }

    @Test(arguments: [("60000", "above the signed maximum"), (nil, "gave no amount"), ("12.3", "unreadable amount")] as [(String?, String)])
    func anUnusableUptoAmountCountsTheMaximumAndSaysWhy(amount: String?, why: String) throws {
        var (f, _) = try uptoPaid()
        guard case let .finish(o) = f.paidAnswered(.delivered(receipt: try Self.receipt(amount: amount), receiptProblem: nil)) else {
            Issue.record("finish"); return
        }
        let charge = try #require(o.charge)
        #expect(charge.atomic == 50_000 && charge.micros == Micros(50_000) && charge.source == .maximum)
        #expect(charge.note?.contains(why) == true)
    }

    @Test func theSignedPermitTravelsInTheExtensionsTheServerDeclared() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()], extensions: ["eip2612GasSponsoring": ["info": ["description": "d", "version": "1"], "schema": [:]]])
        let domain = EIP712Domain(name: "USDC", version: "2", chainId: 84532, verifyingContract: WalletFixture.tokenAddress)
        guard case let .reserve(plan) = f.chainAnswered(Self.allowance(.zero, nonce: UInt256(5), separator: domain.separator)) else {
            Issue.record("reserve"); return
        }
        _ = f.reserved()
        let key = try PrivateKey(hex: WalletFixture.payerKeyHex)
        let signed = try KeySigner(key: key).sign(plan)
        guard case let .sendPaid(payload, 1, 0) = f.signed(signed) else { Issue.record("sendPaid"); return }
        let info = try #require(payload.document["extensions"]?["eip2612GasSponsoring"]?["info"])
        #expect(info["amount"]?.stringValue == "10000" && info["nonce"]?.stringValue == "5")
        #expect(info["spender"]?.stringValue == Permit2Addresses.permit2.checksummed && info["description"]?.stringValue == "d")
        #expect(payload.document["payload"]?["permit2Authorization"]?["spender"]?.stringValue == Permit2Addresses.exactProxy.checksummed)
        // Both signatures recover to the payer.
        guard case let .permit2(p) = signed, let e = p.permit else { Issue.record("permit2"); return }
        let permitDigest = EIP2612Permit(owner: e.from, spender: e.spender, value: UInt256(10_000), nonce: e.nonce, deadline: UInt256(UInt64(e.deadline)))
            .digest(domain: domain)
        #expect(try Signature(bytes: e.signature).recoverAddress(digest: permitDigest) == key.address)
        let transferDigest = PermitWitnessTransferFrom(
            token: p.token, amount: UInt256(10_000), spender: p.spender, nonce: UInt256(bytes32: p.nonce.bytes), deadline: UInt256(UInt64(p.deadline)),
            witness: .exact(to: WalletFixture.sellerAddress, validAfter: UInt256(UInt64(Self.now - 600))))
            .digest(domain: Permit2Domain(chainId: 84532, verifyingContract: Permit2Addresses.permit2))
        #expect(try Signature(bytes: p.signature).recoverAddress(digest: transferDigest) == key.address)
    }

    @Test func nothingCanBeSignedWhileTheChainIsAsked() throws {
        var f = flow()
        _ = try offered(&f, [Self.permit2Entry()])
        let stray = WalletFixture.authorization(try expectedPlan(f, .permit2(Permit2Plan(
            from: WalletFixture.payerAddress, token: WalletFixture.tokenAddress, amount: 10_000, spender: Permit2Addresses.exactProxy,
            nonce: WalletFixture.nonce, deadline: Self.now + 300, witness: .exact(to: WalletFixture.sellerAddress, validAfter: Self.now - 600),
            chainId: 84532))))
        guard case let .finish(o) = f.signed(stray) else { Issue.record("finish"); return }
        guard case let .refused(e) = o.kind else { Issue.record("refused"); return }
        #expect(e.code == "flow.unexpected_event" && o.signatures == 0 && o.resolution == .none)
        // And an answer nobody asked for is refused the same way.
        var g = flow()
        _ = g.start()
        guard case let .finish(o2) = g.chainAnswered(Self.allowance(.max)), case .refused = o2.kind else { Issue.record("finish"); return }
    }
}
