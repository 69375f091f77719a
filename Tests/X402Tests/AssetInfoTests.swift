import Testing

@testable import X402

@Suite struct AssetInfoTests {
    static let usdcBaseSepolia = AssetInfo.builtInUSDC[1]
    static let usdcSolana = AssetInfo.builtInUSDC.first { $0.network == Network.solanaMainnet }!

    @Test func anEVMAddressMatchesInAnyCase() {
        let a = Self.usdcBaseSepolia
        #expect(a.hasAddress("0x036CbD53842c5426634e7929541eC2318f3dCF7e"))
        #expect(a.hasAddress("0x036cbd53842c5426634e7929541ec2318f3dcf7e"))
        #expect(a.hasAddress("0X036CBD53842C5426634E7929541EC2318F3DCF7E"))
        #expect(!a.hasAddress("0x036cbd53842c5426634e7929541ec2318f3dcf7f"))
        #expect(!a.hasAddress("0x036cbd53842c5426634e7929541ec2318f3dcf7"))
        #expect(!a.hasAddress(""))
    }

    @Test func aBase58AddressMatchesOnlyAsWritten() {
        let a = Self.usdcSolana
        #expect(a.hasAddress("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"))
        #expect(!a.hasAddress("epjfwdd5aufqssqem2qn1xzybapc8g4wegGkzwytdt1v"))
        #expect(!a.hasAddress("EPJFWDD5AUFQSSQEM2QN1XZYBAPC8G4WEGGKZWYTDT1V"))
    }

    @Test func theKeyFollowsTheAddressWhenItChanges() {
        var a = Self.usdcBaseSepolia
        a.address = "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        #expect(a.addressKey == "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        #expect(a.hasAddress("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
        #expect(!a.hasAddress("0x036CbD53842c5426634e7929541eC2318f3dCF7e"))
    }
}
