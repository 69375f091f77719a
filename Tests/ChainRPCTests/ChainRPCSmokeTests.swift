import Testing
@testable import ChainRPC
@Test func ChainRPCModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
