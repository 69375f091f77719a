import EVM
import HTTP
import Ledger
import PurseCore
import Solana
import Testing
@testable import Wallet
@testable import X402

/// The payment flow for Solana `exact`: the chain question (mint, blockhash), the plan that fixes
/// the whole message before the reservation, the refusals that leave nothing reserved or signed,
/// the signer signing exactly the planned message, and selection across EVM and Solana.
@Suite struct SolanaFlowTests {
    static let devnet = Network.solanaDevnet
    static let mint = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    static let seller = "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4"
    static let feePayer = "EUem55YzGBiGHrLihzJ2TK8tQkoK5RYCQYS1sEcZRuw1"
    static let keypair = try! SolanaKeypair(seed: Array(repeating: 7, count: 32))
    static let blockhash = try! SolanaHash(bytes: Array(repeating: 9, count: 32))
    static let now: Int64 = 1_800_000_000

    let config: PurseConfig

    init() throws {
        config = try WalletFixture.config(WalletFixture.solanaPolicy)
    }

    func context(caps: [String: UInt64] = [:], solana: Bool = true) -> FlowContext {
        WalletFixture.solanaContext(config, caps: caps, solana: solana)
    }

    static func entry(amount: String = "10000", asset: String = mint, payTo: String = seller, extra: JSONObject = [:],
                      scheme: String = "exact") -> JSONValue {
        var e: JSONObject = ["feePayer": .string(feePayer)]
        for m in extra.members { e[m.key] = m.value }
        return ["scheme": .string(scheme), "network": .string(devnet), "amount": .string(amount), "asset": .string(asset),
                "payTo": .string(payTo), "maxTimeoutSeconds": 120, "extra": .object(e)]
    }

    static let facts = Result<ChainAnswer, FlowRefusal>.success(.solanaPayment(SolanaPaymentFacts(
        mint: .success(SolanaMint(tokenProgram: .token, decimals: 6)), blockhash: blockhash, lastValidBlockHeight: 150)))

    func offered(_ f: inout PaymentFlow, _ entries: [JSONValue]) throws -> FlowAction {
        #expect(f.start() == .sendUnpaid)
        return f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired(entries))))
    }

    func refusalCode(_ action: FlowAction) -> String? {
        guard case let .finish(o) = action, case let .refused(e) = o.kind else { return nil }
        #expect(o.signatures == 0 && o.plan == nil)
        return e.code
    }

    @Test func asksTheMintAndABlockhashThenFixesTheWholeMessageBeforeTheReservation() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: context())
        let question = try offered(&f, [Self.entry()])
        #expect(question == .readChain(.solanaPayment(SolanaPaymentQuestion(network: Self.devnet, mint: try SolanaPublicKey(base58: Self.mint),
                                                                            needsBlockhash: true))))
        guard case let .reserve(plan) = f.chainAnswered(Self.facts), case let .solanaExact(p) = plan.authorization else {
            Issue.record("no plan")
            return
        }
        #expect(plan.payer == Self.keypair.publicKey.account && plan.method == .exactSolana && plan.micros == Micros(10_000))
        let (payTo, token) = (try ChainAccount(parsing: Self.seller), try ChainAccount(parsing: Self.mint))
        #expect(plan.payTo == payTo && plan.token == token)
        #expect(p.recentBlockhash == Self.blockhash && p.lastValidBlockHeight == 150 && p.computeBudget == .sdkDefault)
        #expect(p.memoNonce == Array(WalletFixture.nonce.bytes.prefix(16)))
        #expect(plan.reference == .solana(message: try SolanaMessageDigest(bytes: p.message.digest)))
        #expect(plan.validBefore == Self.now + 120)
        // The signer signs exactly the planned message.
        let signer = KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex), solana: Self.keypair)
        #expect(f.reserved() == .sign(plan))
        guard case let .solana(signed) = try signer.sign(plan) else {
            Issue.record("not a Solana payload")
            return
        }
        let tx = try SolanaTransaction(serialized: try Base64.decode(signed.transactionBase64))
        #expect(tx.message == p.message && tx.signatures[0].isEmpty && tx.signatures[1].base58 == signed.payerSignature)
        #expect(Self.keypair.publicKey.isValidSignature(tx.signatures[1], for: tx.message.serialized()))
        guard case let .sendPaid(payload, 1, 0) = f.signed(.solana(signed)) else {
            Issue.record("not sent")
            return
        }
        #expect(payload.document["payload"] == ["transaction": .string(signed.transactionBase64)])
    }

    @Test func theOffersBlockhashIsUsedWithoutAskingForOne() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: context())
        let hash = try SolanaHash(bytes: Array(repeating: 3, count: 32))
        let action = try offered(&f, [Self.entry(extra: ["recentBlockhash": .string(hash.base58), "lastValidBlockHeight": "77"])])
        guard case let .readChain(.solanaPayment(q)) = action else {
            Issue.record("no question")
            return
        }
        #expect(!q.needsBlockhash)
        let answer = Result<ChainAnswer, FlowRefusal>.success(.solanaPayment(SolanaPaymentFacts(mint: .success(SolanaMint(tokenProgram: .token2022, decimals: 6)))))
        guard case let .reserve(plan) = f.chainAnswered(answer), case let .solanaExact(p) = plan.authorization else {
            Issue.record("no plan")
            return
        }
        #expect(p.recentBlockhash == hash && p.lastValidBlockHeight == 77 && p.mint.tokenProgram == .token2022)
    }

    @Test func shapesTheSpecDoesNotAllowAreRefusedBeforeTheChainIsAsked() throws {
        let me = Self.keypair.publicKey.base58
        let cases: [(JSONValue, String)] = [
            (Self.entry(extra: ["feePayer": .string(me)]), "solana.fee_payer_is_payer"),
            (Self.entry(extra: ["feePayer": "nope"]), "solana.bad_address"),
            (Self.entry(extra: ["instructions": .array([])]), "solana.instructions_requested"),
            (Self.entry(extra: ["preInstructions": .array([])]), "solana.instructions_requested"),
            (Self.entry(extra: ["computeUnitPrice": "5000001"]), "solana.compute_price_too_high"),
            (Self.entry(extra: ["computeUnitPrice": "1e9"]), "solana.bad_compute_price"),
            (Self.entry(extra: ["memo": .string(String(repeating: "m", count: 257))]), "solana.memo_too_long"),
            (Self.entry(extra: ["memo": 42]), "solana.bad_memo"),
            (Self.entry(extra: ["memo": .string(String(repeating: "\u{1F600}", count: 60))]), "solana.compute_limit_too_high"),
        ]
        for (entry, code) in cases {
            var f = PaymentFlow(resource: WalletFixture.resource, context: context())
            #expect(refusalCode(try offered(&f, [entry])) == code, "\(code)")
        }
        // The human's lower cap refuses a price the facilitator would take.
        var f = PaymentFlow(resource: WalletFixture.resource, context: context(caps: [Self.devnet: 999]))
        #expect(refusalCode(try offered(&f, [Self.entry(extra: ["computeUnitPrice": 1000])])) == "solana.compute_price_too_high")
        // Without a Solana key the option is refused, not signed with another key.
        var g = PaymentFlow(resource: WalletFixture.resource, context: context(solana: false))
        #expect(refusalCode(try offered(&g, [Self.entry()])) == "option.no_key")
    }

    @Test func theChainsWordOnTheMintCanRefuseTheOption() throws {
        let answers: [(SolanaPaymentFacts, String)] = [
            (SolanaPaymentFacts(mint: .failure(.init(code: "solana.not_a_mint", message: "x"))), "solana.not_a_mint"),
            (SolanaPaymentFacts(mint: .success(SolanaMint(tokenProgram: .token, decimals: 9)), blockhash: Self.blockhash), "solana.mint_mismatch"),
        ]
        for (facts, code) in answers {
            var f = PaymentFlow(resource: WalletFixture.resource, context: context())
            _ = try offered(&f, [Self.entry()])
            #expect(refusalCode(f.chainAnswered(.success(.solanaPayment(facts)))) == code)
        }
    }

    @Test func aPriceHintWithinTheCapGoesIntoTheTransaction() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: context())
        _ = try offered(&f, [Self.entry(extra: ["computeUnitPrice": 1000])])
        guard case let .reserve(plan) = f.chainAnswered(Self.facts), case let .solanaExact(p) = plan.authorization else {
            Issue.record("no plan")
            return
        }
        #expect(p.computeBudget.unitPriceMicroLamports == 1000)
        #expect(p.message.instructions[1].data == [3] + withUnsafeBytes(of: UInt64(1000).littleEndian, Array.init))
    }

    @Test func theCheapestAllowedOptionWinsAcrossChains() throws {
        let evm = WalletFixture.entry(amount: "20000")
        var f = PaymentFlow(resource: WalletFixture.resource, context: context())
        guard case .readChain(.solanaPayment) = try offered(&f, [evm, Self.entry(amount: "10000")]) else {
            Issue.record("Solana, the cheaper, was not planned first")
            return
        }
        var g = PaymentFlow(resource: WalletFixture.resource, context: context())
        guard case let .reserve(plan) = try offered(&g, [WalletFixture.entry(amount: "10000"), Self.entry(amount: "20000")]) else {
            Issue.record("EVM, the cheaper, was not planned")
            return
        }
        #expect(plan.method == .exactEIP3009)
        // A Solana option refused after selection gives way to the next cheapest.
        var h = PaymentFlow(resource: WalletFixture.resource, context: context())
        _ = try offered(&h, [evm, Self.entry(amount: "10000")])
        let next = h.chainAnswered(.success(.solanaPayment(SolanaPaymentFacts(mint: .failure(.init(code: "solana.mint_not_found", message: "none"))))))
        guard case let .reserve(p) = next else {
            Issue.record("the EVM option was not tried next")
            return
        }
        #expect(p.method == .exactEIP3009 && h.selection?.verdicts[1].reasons.map(\.code) == ["solana.mint_not_found"])
    }

    @Test func theSignerRefusesAPlanForAnotherKeyOrAnotherMessage() throws {
        var f = PaymentFlow(resource: WalletFixture.resource, context: context())
        _ = try offered(&f, [Self.entry()])
        guard case let .reserve(plan) = f.chainAnswered(Self.facts), case let .solanaExact(p) = plan.authorization else {
            Issue.record("no plan")
            return
        }
        let other = KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex), solana: try SolanaKeypair(seed: Array(repeating: 8, count: 32)))
        #expect(throws: PurseError.self) { try other.sign(plan) }
        let noSolana = KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex))
        #expect(throws: PurseError.self) { try noSolana.sign(plan) }
        // A plan whose message does not match its inputs is not signed.
        var tampered = p.message
        tampered.recentBlockhash = try SolanaHash(bytes: Array(repeating: 1, count: 32))
        let bad = SolanaExactPlan(terms: p.terms, payer: p.payer, mint: p.mint, recentBlockhash: p.recentBlockhash, lastValidBlockHeight: nil,
                                  computeBudget: p.computeBudget, maxComputeUnitPrice: p.maxComputeUnitPrice, memoNonce: p.memoNonce,
                                  message: tampered, validBefore: p.validBefore)
        let badPlan = PaymentPlan(offer: plan.offer, requirement: plan.requirement, method: plan.method, asset: plan.asset, token: plan.token,
                                  payTo: plan.payTo, micros: plan.micros, resource: plan.resource, authorization: .solanaExact(bad), paymentIdentifier: nil)
        let signer = KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex), solana: Self.keypair)
        #expect {
            try signer.sign(badPlan)
        } throws: { ($0 as? PurseError)?.code == "sign.plan_mismatch" }
    }

    @Test func theReferenceRoundTripsThroughTheLedgersTwoTexts() throws {
        let digest = try SolanaMessageDigest(bytes: Array(repeating: 0xab, count: 32))
        let reference = AuthorizationReference.solana(message: digest)
        #expect(reference.kind == "solana" && reference.value == "0x" + String(repeating: "ab", count: 32))
        #expect(try AuthorizationReference(kind: reference.kind, value: reference.value) == reference)
    }
}
