import Testing
@testable import EVM
@Test func EVMModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
