import Testing
@testable import HTTP
@Test func HTTPModuleLinks() { #expect(Bool(true)) } // PLACEHOLDER: replaced by real tests
