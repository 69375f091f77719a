import Testing
@testable import PurseCore
@Test func PurseCoreModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
