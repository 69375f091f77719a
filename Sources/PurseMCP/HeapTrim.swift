// PurseMCP: the MCP face of the Purse wallet.
import CMallocArenas

/// Gives the heap's free pages back to the system once the server has gone quiet.
///
/// A host keeps one `purse serve` per chat or agent, mostly idle, so what an idle server holds
/// is what users pay for. A paid request allocates and frees a few hundred KiB (HTTP, JSON,
/// signing); glibc keeps freed pages inside the heap for reuse, 0.4 MiB after ten paid requests.
/// The stdout writer calls `release()` when nothing has been written for `quietSeconds` after
/// a burst, so a busy server never pays for it and an idle one holds only what it uses.
enum HeapTrim {
    /// How long the writer waits, after its last frame, before trimming.
    static let quietSeconds = 0.25

    /// Returns the free heap to the system (`malloc_trim(0)`; tens of microseconds).
    static func release() { purse_release_free_heap() }
}
