import Dispatch
import PurseCore
import Testing

struct LockedTests {
    /// Many threads read-modify-write the one value: with the lock, no update is lost.
    @Test func updatesFromManyThreadsAreNeverLost() {
        let box = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { box.withLock { $0 += 1 } }
        }
        #expect(box.withLock { $0 } == 80_000)
    }

    /// The body's result comes back, and an error it throws leaves what it already wrote.
    @Test func theBodyReturnsAndThrowsThrough() {
        struct Stop: Error {}
        let box = Locked([Int]())
        #expect(box.withLock { v -> Int in v.append(1); return v.count } == 1)
        #expect(throws: Stop.self) { try box.withLock { v in v.append(2); throw Stop() } }
        #expect(box.withLock { $0 } == [1, 2])
    }

    /// Copies of the reference share one value: what one closure writes, another reads.
    @Test func capturesShareOneValue() {
        let box = Locked("a")
        let write = { box.withLock { $0 += "b" } }
        let read = { box.withLock { $0 } }
        write()
        #expect(read() == "ab")
    }
}
