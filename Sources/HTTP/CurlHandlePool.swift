// Purse HTTP module: idle libcurl easy handles kept for connection reuse.

import CCurl
import Foundation

/// One libcurl easy handle; its connection cache survives `curl_easy_reset`.
final class CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    /// The origin of the last request made with this handle, whose connection it likely caches.
    var origin = ""

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }
}

/// A small, lock-protected stack of idle easy handles.
///
/// A handle returns here after its transfer, options reset but connections kept, so that the
/// next request to the same origin (such as a paid retry right after a 402) reuses the TCP and
/// TLS connection. `acquire` prefers the most recent handle used for the same origin.
final class CurlHandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [CurlEasyHandle] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// An idle handle, preferably one last used for `origin`, or a new one (nil if libcurl fails).
    func acquire(origin: String) -> CurlEasyHandle? {
        lock.lock()
        if let i = idle.lastIndex(where: { $0.origin == origin }) {
            let handle = idle.remove(at: i)
            lock.unlock()
            return handle
        }
        let any = idle.popLast()
        lock.unlock()
        return any ?? CurlEasyHandle()
    }

    /// Resets a handle's options (keeping its connections) and keeps it if there is room.
    func release(_ handle: CurlEasyHandle, origin: String) {
        curl_easy_reset(handle.raw)
        handle.origin = origin
        var evicted: CurlEasyHandle?
        lock.lock()
        if idle.count < capacity { idle.append(handle) } else { evicted = handle }
        lock.unlock()
        _ = evicted // dropped outside the lock: its deinit closes its connections
    }

}
