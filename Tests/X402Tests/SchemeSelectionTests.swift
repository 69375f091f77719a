import Testing
import PurseCore
@testable import X402

/// Selection across schemes (`exact` with EIP-3009 or Permit2, `upto`) and networks: each option
/// gets one method and one verdict, and the cheapest allowed wins in budget units.
@Suite struct SchemeSelectionTests {
    static let facilitator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    func offer(_ entries: [JSONValue]) throws -> PaymentRequired {
        try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header(entries)]), body: [])
    }

    static func upto(amount: String = "50000", facilitator: String? = SchemeSelectionTests.facilitator) -> JSONValue {
        var extra: JSONObject = ["name": "USDC", "version": "2", "assetTransferMethod": "permit2"]
        if let facilitator { extra["facilitatorAddress"] = .string(facilitator) }
        return Fixture.entry(amount: .string(amount), extra: .object(extra), scheme: "upto")
    }

    static func permit2(amount: String = "10000") -> JSONValue {
        Fixture.entry(amount: .string(amount), extra: ["assetTransferMethod": "permit2"])
    }

    @Test func eachRequirementHasOneMethod() throws {
        let o = try offer([Fixture.entry(), Self.permit2(), Self.upto(), Fixture.entry(network: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"),
                           Fixture.entry(scheme: "batch")])
        let methods = o.accepts.map { try? PaymentMethod.classify($0).get() }
        #expect(methods == [.exactEIP3009, .exactPermit2, .uptoPermit2, nil, nil])
        #expect(methods.compactMap { $0?.transferMethod } == ["eip3009", "permit2", "permit2"])
        #expect(methods.compactMap { $0?.scheme } == ["exact", "exact", "upto"])
        #expect(PaymentMethod.uptoPermit2.settlesActualAmount && !PaymentMethod.exactPermit2.settlesActualAmount)
    }

    @Test func permit2NeedsNoTokenDomainButEIP3009Does() throws {
        let s = RequirementSelector.select(try offer([Self.permit2(), Fixture.entry(extra: ["assetTransferMethod": "eip3009"])]),
                                           policy: Fixture.policy())
        #expect(s.verdicts[0].allowed && s.verdicts[0].method == .exactPermit2)
        #expect(s.verdicts[1].reasons.map(\.code) == ["option.eip712_domain_missing"])
    }

    @Test func cheapestAllowedWinsAcrossSchemesComparingTheUptoMaximum() throws {
        // upto's maximum (0.05) is what it can cost, so the 0.02 exact option is cheaper.
        let s = RequirementSelector.select(try offer([Self.upto(amount: "50000"), Fixture.entry(amount: "20000"), Self.permit2(amount: "30000")]),
                                           policy: Fixture.policy())
        #expect(s.chosen?.index == 1)
        #expect(s.candidates.map(\.index) == [1, 2, 0])
        // Refusing the chosen one (as the chain may, after selection) moves to the next.
        let after = s.refusing(index: 1, .init(code: "permit2.allowance_required", message: "no allowance"))
        #expect(after.chosen?.index == 2)
        #expect(after.verdicts[1].reasons.map(\.code) == ["permit2.allowance_required"])
    }

    @Test func theCapBoundsTheUptoMaximum() throws {
        let s = RequirementSelector.select(try offer([Self.upto(amount: "150000")]), policy: Fixture.policy(cap: 100_000))
        #expect(s.chosen == nil)
        #expect(s.verdicts[0].reasons.map(\.code) == ["option.over_cap"])
        #expect(s.verdicts[0].reasons[0].message.hasPrefix("maximum 0.15 USDC exceeds"))
    }

    @Test(arguments: [
        (nil, "option.upto_facilitator_missing"),
        ("0x1234", "option.upto_facilitator_invalid"),
        ("0x0000000000000000000000000000000000000000", "option.upto_facilitator_invalid"),
        ("0x000000000022D473030F116dDEE9F6B43aC78BA3", "option.upto_facilitator_invalid"),   // Permit2 itself
        ("0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002", "option.upto_facilitator_invalid"),   // the upto proxy
        (Fixture.localToken, "option.upto_facilitator_invalid"),                             // the token
    ] as [(String?, String)])
    func uptoNeedsAFacilitatorThatCanBeOne(facilitator: String?, code: String) throws {
        let s = RequirementSelector.select(try offer([Self.upto(facilitator: facilitator)]), policy: Fixture.policy())
        #expect(s.verdicts[0].reasons.map(\.code) == [code])
    }

    @Test func uptoSettlesOnlyAfterTheContentWhilePermit2ExactMayBeUpfront() throws {
        var upfrontUpto = Self.upto().objectValue!
        var extra = upfrontUpto["extra"]!.objectValue!
        extra["paymentFlow"] = "upfront"
        upfrontUpto["extra"] = .object(extra)
        let s = RequirementSelector.select(try offer([.object(upfrontUpto), Fixture.entry(extra: ["assetTransferMethod": "permit2", "paymentFlow": "upfront"])]),
                                           policy: Fixture.policy())
        #expect(s.verdicts[0].reasons.map(\.code) == ["option.payment_flow_unsupported"])
        #expect(s.verdicts[1].allowed)
    }

    @Test func absurdAmountsNeverBecomeOptions() throws {
        // Above 2^63 atomic units (an "unlimited" uint256): the entry does not parse at all.
        let o = try offer([Self.upto(amount: "115792089237316195423570985008687907853269984665640564039457584007913129639935"), Self.permit2()])
        let s = RequirementSelector.select(o, policy: Fixture.policy())
        #expect(s.verdicts[0].requirement == nil && !s.verdicts[0].allowed)
        #expect(s.chosen?.index == 1)
    }

    @Test func solanaOptionsAreNamedButNotPaidYet() throws {
        let s = RequirementSelector.select(try offer([Fixture.entry(network: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
                                                                    payTo: "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4")]),
                                           policy: Fixture.policy())
        #expect(s.verdicts[0].reasons.map(\.code) == ["option.network_not_evm"])
    }

    @Test func settlementAmountIsReadStrictly() throws {
        func receipt(_ amount: JSONValue?) throws -> SettlementResponse {
            var o: JSONObject = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532"]
            if let amount { o["amount"] = amount }
            return try SettlementResponse.decode(Base64.encode(JSONValue.object(o).encodedBytes()), field: "PAYMENT-RESPONSE")
        }
        #expect(try receipt("12300").settledAmount == 12_300)
        #expect(try receipt("0").settledAmount == 0)
        #expect(try receipt(nil).settledAmount == nil)
        #expect(try receipt("-5").settledAmount == nil)
        #expect(try receipt("1.5").settledAmount == nil)
        #expect(try receipt("99999999999999999999999").settledAmount == nil)
        #expect(try receipt(.integer(12300)).amount == "12300")   // a number is kept as text, read the same way
    }

    @Test func transactionIdsOfBothChainsAreKept() {
        #expect(SettlementResponse.normalizeTransaction("AB" + String(repeating: "cd", count: 31)) == "0xab" + String(repeating: "cd", count: 31))
        let solana = Base58.encode([UInt8](repeating: 7, count: 64))
        #expect(SettlementResponse.normalizeTransaction(solana) == solana)
        #expect(SettlementResponse.normalizeTransaction(Base58.encode([UInt8](repeating: 7, count: 32))) == nil)
        #expect(SettlementResponse.normalizeTransaction("0xzz") == nil)
    }
}
