import Testing
@testable import PurseCLI
@Test func PurseCLIModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
