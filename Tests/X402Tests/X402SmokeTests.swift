import Testing
@testable import X402
@Test func X402ModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
