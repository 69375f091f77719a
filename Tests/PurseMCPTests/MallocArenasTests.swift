#if canImport(Glibc)
    import Glibc
    import Testing

    /// `CMallocArenas` (linked by `PurseMCP`, so by this test binary too, as by `purse`) sets a
    /// 1 MiB mmap threshold: a payment's 214 KiB task slab must come from the heap, whose pages
    /// are reused, not from mmap, which faults its pages in again every time and unmaps them with
    /// a TLB shootdown. With one arena, every chunk that is not mapped lies in the `[heap]`
    /// mapping (`/proc/self/maps`).
    @Suite struct MallocArenasTests {
        /// The `[heap]` mapping's address range.
        static func heapRange() throws -> Range<UInt> {
            let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
            let line = try #require(maps.split(separator: "\n").first { $0.hasSuffix("[heap]") })
            let bounds = try #require(line.split(separator: " ").first).split(separator: "-").compactMap { UInt($0, radix: 16) }
            try #require(bounds.count == 2)
            return bounds[0]..<bounds[1]
        }

        @Test func aTaskSlabComesFromTheHeap() throws {
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
            let address = UInt(bitPattern: slab)
            #expect(try Self.heapRange().contains(address), "a 214 KiB allocation came from mmap")
        }
    }
#endif
