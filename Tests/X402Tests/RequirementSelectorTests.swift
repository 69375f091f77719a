import Testing
import PurseCore
@testable import X402

@Suite struct RequirementSelectorTests {
    func offer(_ entries: [JSONValue]) throws -> PaymentRequired {
        try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header(entries)]), body: [])
    }

    @Test func cheapestAllowedOptionWins() throws {
        let o = try offer([
            Fixture.entry(amount: "50000"),
            Fixture.entry(amount: "20000"),
            Fixture.entry(amount: "10000", network: "eip155:8453", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"),
            Fixture.entry(amount: "15000", asset: "0x1111111111111111111111111111111111111111"),
        ])
        let s = RequirementSelector.select(o, policy: Fixture.policy())
        #expect(s.chosen?.index == 1)
        #expect(s.verdicts[2].reasons.map(\.code) == ["option.network_not_allowed"])
        #expect(s.verdicts[3].reasons.map(\.code) == ["option.asset_unknown"])
        #expect(s.verdicts[0].allowed)
    }

    @Test func capIsCheckedOnTheChosenOptionAfterNormalization() throws {
        // v1 option carries only maxAmountRequired; the cap must apply to it, not to a cheaper unusable option.
        let v1 = try PaymentRequiredParser.parse(header: { _ in nil }, body: Array(#"{"x402Version":1,"accepts":[{"scheme":"exact","network":"base","maxAmountRequired":"1","asset":"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913","payTo":"0x90F79bf6EB2c4f870365E785982E1f101E93b906","maxTimeoutSeconds":60,"extra":{"name":"USD Coin","version":"2"}},{"scheme":"exact","network":"base-sepolia","maxAmountRequired":"5000000","asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","payTo":"0x90F79bf6EB2c4f870365E785982E1f101E93b906","maxTimeoutSeconds":60,"extra":{"name":"USDC","version":"2"}}]}"#.utf8))
        let s = RequirementSelector.select(v1, policy: Fixture.policy(cap: 100_000))
        #expect(s.chosen == nil)
        #expect(s.verdicts[1].reasons.map(\.code) == ["option.over_cap"])
        #expect(s.refusalSummary.contains("exceeds the per-request cap of 0.10 USDC"))
        #expect(s.refusalSummary.contains("5.00 USDC"))
    }

    @Test func everyRefusalIsExplained() throws {
        let o = try offer([
            Fixture.entry(scheme: "upto"),
            Fixture.entry(network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"),
            Fixture.entry(network: "mystery-net"),
            Fixture.entry(payTo: "not-an-address"),
            Fixture.entry(extra: ["name": "USDC"]),
            Fixture.entry(extra: ["name": "USDC", "version": "2", "assetTransferMethod": "erc7710"]),
            Fixture.entry(extra: ["name": "USDC", "version": "2", "paymentFlow": "escrow"]),
            Fixture.entry(amount: "200000"),
        ])
        let s = RequirementSelector.select(o, policy: Fixture.policy())
        #expect(s.chosen == nil)
        let codes = s.verdicts.map { $0.reasons.map(\.code) }
        #expect(codes[0] == ["option.upto_facilitator_missing"])
        #expect(codes[1] == ["option.network_not_evm"])
        #expect(codes[2] == ["option.network_unknown"])
        #expect(codes[3] == ["option.pay_to_invalid"])
        #expect(codes[4] == ["option.eip712_domain_missing"])
        #expect(codes[5] == ["option.transfer_method_unsupported"])
        #expect(codes[6] == ["option.payment_flow_unsupported"])
        #expect(codes[7] == ["option.over_cap"])
        #expect(s.refusalSummary.split(separator: "\n").count == 8)
    }

    @Test func mainnetNeedsExplicitAllowance() throws {
        let o = try offer([Fixture.entry(network: "eip155:8453", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913")])
        #expect(RequirementSelector.select(o, policy: Fixture.policy()).chosen == nil)
        #expect(RequirementSelector.select(o, policy: Fixture.policy(networks: ["eip155:8453"])).chosen?.index == 0)
    }

    @Test func tieKeepsServerOrder() throws {
        let o = try offer([Fixture.entry(payTo: "0x1111111111111111111111111111111111111111"), Fixture.entry()])
        #expect(RequirementSelector.select(o, policy: Fixture.policy()).chosen?.index == 0)
    }

    @Test func microsNormalizeDecimals() {
        #expect(AtomicAmount(10_000).micros(decimals: 6) == Micros(10_000))
        #expect(AtomicAmount(1).micros(decimals: 18) == Micros(1))          // rounds up
        #expect(AtomicAmount(10_000_000_000_000).micros(decimals: 18) == Micros(10))
        #expect(AtomicAmount(5).micros(decimals: 2) == Micros(50_000))
        #expect(AtomicAmount(Int64.max).micros(decimals: 0) == nil)
    }

    @Test func amountText() {
        #expect(AmountText.decimal(atomic: 10_000, decimals: 6) == "0.01")
        #expect(AmountText.decimal(atomic: 1_500_000, decimals: 6) == "1.50")
        #expect(AmountText.decimal(atomic: 1, decimals: 6) == "0.000001")
        #expect(AmountText.decimal(atomic: 7, decimals: 0) == "7")
    }

    @Test func networksParse() {
        #expect(Network.parse("base-sepolia")?.caip2 == "eip155:84532")
        #expect(Network.parse("eip155:84532")?.isTestnet == true)
        #expect(Network.parse("eip155:8453")?.isTestnet == false)
        #expect(Network.parse("eip155:0084532") == nil)
        #expect(Network.parse("eip155:") == nil)
        #expect(Network.parse("eip155:-1") == nil)
        #expect(Network.parse("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1")?.isEVM == false)
    }
}
