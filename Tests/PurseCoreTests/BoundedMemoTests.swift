import Testing

@testable import PurseCore

@Suite struct BoundedMemoTests {
    /// A value is computed once per key while the table has room, and the table never holds
    /// more than its capacity: it empties when full, then remembers again.
    @Test func remembersAndEmptiesWhenFull() {
        let memo = BoundedMemo<Int, String>(capacity: 3)
        var computed: [Int] = []
        func get(_ k: Int) -> String { memo.value(for: k) { computed.append($0); return "v\($0)" } }
        #expect(get(1) == "v1")
        #expect(get(1) == "v1")
        #expect(get(2) == "v2")
        #expect(get(3) == "v3")
        #expect(computed == [1, 2, 3])
        #expect(memo.count == 3)
        #expect(get(4) == "v4")   // full: emptied, then 4 remembered
        #expect(memo.count == 1)
        #expect(get(1) == "v1")   // forgotten, computed again
        #expect(computed == [1, 2, 3, 4, 1])
        #expect(get(4) == "v4")
        #expect(computed == [1, 2, 3, 4, 1])
    }
}
