import Dispatch
import PurseCore
import Testing

struct LatchTests {
    /// A waiter parked before the fire is released by it; one that comes after returns at once.
    @Test func waitReturnsOnceFiredBeforeOrAfter() async {
        let latch = Latch()
        let released = Locked(false)
        let waiter = Task {
            await latch.wait()
            released.withLock { $0 = true }
        }
        #expect(!latch.hasFired)
        DispatchQueue.global().async { latch.fire() }
        await waiter.value
        #expect(released.withLock { $0 })
        #expect(latch.hasFired)
        await latch.wait()
    }

    /// Each action runs exactly once, in the order registered; a withdrawn one never runs; one
    /// registered after the fire runs at once and gets no token; a second fire runs nothing.
    @Test func actionsRunOnceAndWithdrawnOnesNever() throws {
        let latch = Latch()
        let ran = Locked([String]())
        let first = latch.onFire { ran.withLock { $0.append("first") } }
        let withdrawn = latch.onFire { ran.withLock { $0.append("withdrawn") } }
        latch.onFire { ran.withLock { $0.append("third") } }
        #expect(first != nil && withdrawn != nil && first != withdrawn)
        latch.withdraw(try #require(withdrawn))
        #expect(ran.withLock { $0 }.isEmpty)
        latch.fire()
        #expect(ran.withLock { $0 } == ["first", "third"])
        latch.fire()
        #expect(ran.withLock { $0 } == ["first", "third"])
        #expect(latch.onFire { ran.withLock { $0.append("late") } } == nil)
        #expect(ran.withLock { $0 } == ["first", "third", "late"])
    }
}
