#if canImport(Glibc)
    import Glibc
    import Testing

    /// `CMallocArenas` (linked by `PurseMCP`, so by this test binary too, as by `purse`) sets a
    /// 1 MiB mmap threshold: a payment's 214 KiB task slab must come from the heap, whose pages
    /// are reused, not from mmap, which faults its pages in again every time and unmaps them with
    /// a TLB shootdown. glibc marks a chunk that has pages of its own with bit 1 (IS_MMAPPED) of
    /// the size word just before the pointer it returns.
    @Suite struct MallocArenasTests {
        static func isMapped(_ p: UnsafeMutableRawPointer) -> Bool {
            p.load(fromByteOffset: -MemoryLayout<Int>.size, as: Int.self) & 0x2 != 0
        }

        @Test func aTaskSlabComesFromTheHeapAndOnlyAllocationsOfAMebibyteAndMoreAreMapped() throws {
            // glibc maps a large request only when the heap's top chunk cannot hold it: take small
            // chunks until the heap has just grown (the program break moved), which leaves less
            // free top than a slab, so the slab must grow the heap again or be mapped.
            var fillers: [UnsafeMutableRawPointer] = []
            defer { fillers.forEach { free($0) } }
            let start = sbrk(0)
            for _ in 0..<256 where sbrk(0) == start {
                fillers.append(try #require(malloc(64 * 1024)))
            }
            let slab = try #require(malloc(219_280))
            defer { free(slab) }
            #expect(!Self.isMapped(slab), "a 214 KiB allocation came from mmap")
            let large = try #require(malloc(2 << 20))
            defer { free(large) }
            #expect(Self.isMapped(large), "the check itself: a 2 MiB allocation has pages of its own")
        }
    }
#endif
