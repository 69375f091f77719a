import Testing
@testable import PurseMCP
@Test func PurseMCPModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
