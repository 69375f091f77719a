import Testing
@testable import PurseMCP
