import Testing
@testable import PurseCore

/// The one atomic → micros conversion, and the arithmetic budgets rely on.
@Suite struct MicrosTests {
    @Test(arguments: [
        (Int64(10_000), 6, Int64?(10_000)),
        (1, 18, 1),                           // rounds up: never under-charge a budget
        (1_000_000_000_000, 18, 1),
        (1_000_000_000_001, 18, 2),
        (Int64.max, 36, 1),
        (0, 36, 0),
        (5, 0, 5_000_000),
        (3, 2, 30_000),
        (Int64.max / 10, 0, nil),             // overflows 64-bit micros
        (1, -1, nil),
        (1, 37, nil),
        (-1, 6, nil),
    ])
    func conversion(atomic: Int64, decimals: Int, micros: Int64?) {
        #expect(Micros(atomic: atomic, decimals: decimals)?.value == micros)
    }

    @Test func arithmetic() throws {
        #expect(Micros(5).adding(Micros(6)) == Micros(11))
        #expect(Micros(Int64.max).adding(Micros(1)) == nil)
        #expect(Micros(10).remaining(after: Micros(4)) == Micros(6))
        #expect(Micros(10).remaining(after: Micros(40)) == .zero)
        #expect(Micros(Int64.min).remaining(after: Micros(1)) == .zero)
        #expect(try Micros(parsing: "0.05") == Micros(50_000))
        #expect(Micros(10_000).formatted(symbol: "USDC") == "0.01 USDC")
        #expect(throws: AmountFormatError.self) { try Micros(parsing: "0.0000001") }
    }
}
