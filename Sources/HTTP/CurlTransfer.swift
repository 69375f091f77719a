// Purse HTTP module: the state of one libcurl transfer, fed by libcurl's callbacks.

import CCurl
import Foundation

/// The state of one transfer: the body and headers as they arrive, the caps, and the flags
/// the callbacks set. Callbacks run on the transfer's own thread; only `cancel()` and
/// `isCancelled` cross threads, under a lock.
final class CurlTransfer: @unchecked Sendable {
    let maxBodyBytes: Int
    let maxHeaderBytes: Int

    /// Body bytes kept so far (at most `maxBodyBytes`).
    private(set) var body: [UInt8] = []
    /// Set when more body arrived than `maxBodyBytes`.
    private(set) var truncated = false
    /// Header fields of the latest response seen (reset on every status line).
    private(set) var headers = HTTPHeaders()
    /// Set when the header section exceeded `maxHeaderBytes`.
    private(set) var headersTooLarge = false
    /// Set by the pre-request callback: a connection was ready and the request was about to go.
    /// While false, no byte of the request can have reached the server.
    private(set) var requestStarted = false

    private var headerBytes = 0
    private var headerSectionDone = false

    private let cancelLock = NSLock()
    private var cancelled = false

    /// libcurl's error buffer (`CURLOPT_ERRORBUFFER`).
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request header list handed to libcurl, freed with the transfer.
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// The request body handed to libcurl (`CURLOPT_POSTFIELDS` does not copy), freed with the transfer.
    private(set) var postFields: UnsafeMutableBufferPointer<UInt8>?

    init(maxBodyBytes: Int, maxHeaderBytes: Int) {
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.maxHeaderBytes = max(0, maxHeaderBytes)
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
        postFields?.deallocate()
    }

    /// Copies the body into memory that lives as long as the transfer; returns its base address.
    func holdBody(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
        buffer.initialize(repeating: 0)
        _ = buffer.initialize(from: bytes)
        postFields = buffer
        return buffer.baseAddress!
    }

    /// Asks the transfer to stop at the next callback.
    func cancel() {
        cancelLock.lock()
        cancelled = true
        cancelLock.unlock()
    }

    /// Whether `cancel()` was called.
    var isCancelled: Bool {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        return cancelled
    }

    /// libcurl's error message for the last failure, if it wrote one.
    var errorText: String { String(cString: errorBuffer) }

    // MARK: callbacks

    /// Write callback: keeps body bytes up to the cap; past it keeps the prefix that fits and
    /// returns 0, which makes libcurl stop reading (CURLE_WRITE_ERROR).
    func receiveBody(_ data: UnsafeBufferPointer<UInt8>) -> Int {
        let room = maxBodyBytes - body.count
        if data.count <= room {
            body.append(contentsOf: data)
            return data.count
        }
        if room > 0 { body.append(contentsOf: data.prefix(room)) }
        truncated = true
        return 0
    }

    /// Header callback: libcurl passes one complete line per call, status lines included.
    func receiveHeaderLine(_ data: UnsafeBufferPointer<UInt8>) -> Int {
        headerBytes += data.count
        if headerBytes > maxHeaderBytes {
            headersTooLarge = true
            return 0
        }
        var line = data[...]
        while let last = line.last, last == 0x0a || last == 0x0d { line = line.dropLast() }
        if line.starts(with: [0x48, 0x54, 0x54, 0x50, 0x2f]) { // "HTTP/": a new (interim or final) response
            headers = HTTPHeaders()
            headerSectionDone = false
            return data.count
        }
        if line.isEmpty {
            headerSectionDone = true
            return data.count
        }
        if headerSectionDone { return data.count } // a trailer after a chunked body: not kept
        if let first = line.first, first == 0x20 || first == 0x09 {
            headers.appendToLastValue(Self.trim(line))
            return data.count
        }
        guard let colon = line.firstIndex(of: 0x3a) else { return data.count }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        headers.add(name, Self.trim(line[(colon + 1)...]))
        return data.count
    }

    /// Pre-request callback: refuses to start when cancelled, else records that the request is going.
    func willSendRequest() -> Int32 {
        if isCancelled { return Int32(CURL_PREREQFUNC_ABORT) }
        requestStarted = true
        return Int32(CURL_PREREQFUNC_OK)
    }

    /// Progress callback: a non-zero answer aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
    func progress() -> Int32 { isCancelled ? 1 : 0 }

    private static func trim(_ s: ArraySlice<UInt8>) -> String {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return String(decoding: s, as: UTF8.self)
    }

    private static func trim(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        trim(ArraySlice(s))
    }

    /// Hands `n` bytes at `ptr` from a libcurl data callback to the transfer behind `user`, returning
    /// what libcurl must be told (the count taken; anything else stops the transfer).
    static func deliver(_ ptr: UnsafeMutablePointer<CChar>?, _ n: Int, to user: UnsafeMutableRawPointer?,
                        _ take: (CurlTransfer, UnsafeBufferPointer<UInt8>) -> Int) -> Int {
        guard let user else { return 0 }
        guard let ptr, n > 0 else { return n }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        return take(transfer, UnsafeBufferPointer(start: UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: n))
    }
}
