// Purse HTTP module: the real client, libcurl behind `HTTPClient`.

import BlockingWork
import CCurl
import Foundation

/// An `HTTPClient` over libcurl: http and https only, no redirects followed, capped body and
/// headers, explicit timeouts, and no proxy unless one is configured (the environment's
/// `http_proxy` and friends are ignored).
///
/// Each blocking `curl_easy_perform` runs on a thread of its own, never on Swift's cooperative
/// pool. Idle handles are pooled so that a second request to the same origin reuses the
/// connection. Safe to use from many tasks at once.
public final class CurlHTTPClient: HTTPClient {
    /// The limits and defaults this client applies.
    public let options: HTTPOptions
    private let pool: CurlHandlePool

    /// Creates a client. libcurl is loaded and initialized on the first request, not here: a
    /// process that never sends one (an idle `purse serve`) never maps it (see `CurlGlobal`).
    public init(options: HTTPOptions = .init()) {
        self.options = options
        pool = CurlHandlePool(capacity: options.maxIdleHandles)
    }

    /// Where blocking transfers run: off Swift's cooperative pool (two threads on a 2-core
    /// machine, which a slow server must not stall), on threads the queue keeps and reuses. A
    /// new thread per transfer cost its creation and first stack faults on every request.
    private static let transfers = DispatchQueue(label: "purse.http", attributes: .concurrent)

    /// Sends one request; see `HTTPClient.send(_:)`.
    ///
    /// A 3xx comes back as is, with `redirectLocation`. A body longer than `maxBodyBytes` is
    /// not an error: the response is returned with its first `maxBodyBytes` bytes and
    /// `truncated` set. Cancelling the calling task aborts the transfer within about a second.
    ///
    /// - Throws: `HTTPError`; `.invalidURL`, `.unsupportedScheme` and `.invalidRequest` before any IO.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let target = try HTTPURL.parse(request.url)
        try Self.validate(request)
        if let why = CurlGlobal.failure { throw HTTPError(.transport, why, requestMayHaveBeenSent: false) }
        if Task.isCancelled { throw HTTPError(.cancelled, "", requestMayHaveBeenSent: false) }

        let origin: String = switch options.proxy {
        case .direct: target.origin
        case let .url(proxy): target.origin + " via " + proxy
        }
        guard let handle = pool.acquire(origin: origin) else {
            throw HTTPError(.transport, "libcurl could not create a handle", requestMayHaveBeenSent: false)
        }
        let transfer = CurlTransfer(maxBodyBytes: options.maxBodyBytes, maxHeaderBytes: options.maxHeaderBytes)
        do throws(HTTPError) {
            try configure(handle.raw, transfer, request)
        } catch {
            pool.release(handle, origin: origin)
            throw error
        }

        let pool = self.pool
        let url = request.url
        let result = await withTaskCancellationHandler {
            // On a thread that may block (`BlockingWorkers`) the transfer runs right here, else on
            // the transfers queue.
            await BlockingWorkers.blocking(handingOffTo: Self.transfers) { () -> Result<HTTPResponse, HTTPError> in
                let outcome = Self.perform(handle.raw, transfer, url: url)
                pool.release(handle, origin: origin)
                return outcome
            }
        } onCancel: {
            transfer.cancel()
        }
        return try result.get()
    }

    // MARK: - Checks before IO

    private static let tokenBytes: Set<UInt8> = Set(Array("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8))

    private static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { tokenBytes.contains($0) }
    }

    private static func validate(_ request: HTTPRequest) throws(HTTPError) {
        guard isToken(request.method) else {
            throw HTTPError(.invalidRequest, "method '\(request.method)' is not an HTTP token", requestMayHaveBeenSent: false)
        }
        for (name, value) in request.headers {
            guard isToken(name) else {
                throw HTTPError(.invalidRequest, "header name '\(name)' is not an HTTP token", requestMayHaveBeenSent: false)
            }
            guard !value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0x00 }) else {
                throw HTTPError(.invalidRequest, "header '\(name)' has CR, LF or NUL in its value", requestMayHaveBeenSent: false)
            }
        }
    }

    // MARK: - libcurl setup

    private func configure(_ h: UnsafeMutableRawPointer, _ t: CurlTransfer, _ request: HTTPRequest) throws(HTTPError) {
        func check(_ rc: CURLcode, _ what: String) throws(HTTPError) {
            guard rc == CURLE_OK else {
                throw HTTPError(.transport, "could not set \(what): \(Self.curlText(rc))", requestMayHaveBeenSent: false)
            }
        }
        let me = Unmanaged.passUnretained(t).toOpaque()

        try check(purse_curl_setopt_ptr(h, CURLOPT_ERRORBUFFER, t.errorBuffer), "error buffer")
        try check(purse_curl_setopt_str(h, CURLOPT_URL, request.url), "URL")
        try check(purse_curl_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(purse_curl_setopt_str(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "redirect protocols")
        try check(purse_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0), "no redirects")
        try check(purse_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1), "no signals")
        try check(purse_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, max(1, options.connectTimeoutMs)), "connect timeout")
        try check(purse_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, max(1, options.totalTimeoutMs)), "total timeout")
        if options.lowSpeedLimitBytesPerSecond > 0, options.lowSpeedTimeSeconds > 0 {
            try check(purse_curl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimitBytesPerSecond), "low speed limit")
            try check(purse_curl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, options.lowSpeedTimeSeconds), "low speed time")
        }
        // An explicit proxy decision; with both set, libcurl reads no proxy environment variable.
        switch options.proxy {
        case .direct: try check(purse_curl_setopt_str(h, CURLOPT_PROXY, ""), "no proxy")
        case let .url(proxy): try check(purse_curl_setopt_str(h, CURLOPT_PROXY, proxy), "proxy")
        }
        try check(purse_curl_setopt_str(h, CURLOPT_NOPROXY, ""), "no-proxy list")
        // HTTPS: always verify the chain and the host name (the defaults, set explicitly so no
        // reuse of a handle can carry another setting), against `caFile` when one is configured.
        try check(purse_curl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1), "certificate verification")
        try check(purse_curl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2), "host name verification")
        if let caFile = options.caFile { try check(purse_curl_setopt_str(h, CURLOPT_CAINFO, caFile), "CA file") }

        try check(purse_curl_setopt_datacb(h, CURLOPT_WRITEFUNCTION) { ptr, size, count, user in
            CurlTransfer.deliver(ptr, size * count, to: user) { $0.receiveBody($1) }
        }, "write callback")
        try check(purse_curl_setopt_ptr(h, CURLOPT_WRITEDATA, me), "write data")
        try check(purse_curl_setopt_datacb(h, CURLOPT_HEADERFUNCTION) { ptr, size, count, user in
            CurlTransfer.deliver(ptr, size * count, to: user) { $0.receiveHeaderLine($1) }
        }, "header callback")
        try check(purse_curl_setopt_ptr(h, CURLOPT_HEADERDATA, me), "header data")
        try check(purse_curl_setopt_prereqcb(h, CURLOPT_PREREQFUNCTION) { user, _, _, _, _ in
            guard let user else { return Int32(CURL_PREREQFUNC_OK) }
            return Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue().willSendRequest()
        }, "pre-request callback")
        try check(purse_curl_setopt_ptr(h, CURLOPT_PREREQDATA, me), "pre-request data")
        try check(purse_curl_setopt_xferinfocb(h, CURLOPT_XFERINFOFUNCTION) { user, _, _, _, _ in
            guard let user else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue().progress()
        }, "progress callback")
        try check(purse_curl_setopt_ptr(h, CURLOPT_XFERINFODATA, me), "progress data")
        try check(purse_curl_setopt_long(h, CURLOPT_NOPROGRESS, 0), "progress on")

        // Method and body.
        let method = request.method
        if let body = request.body {
            try check(purse_curl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            try check(purse_curl_setopt_ptr(h, CURLOPT_POSTFIELDS, t.holdBody(body)), "body")
            if method != "POST" {
                try check(purse_curl_setopt_str(h, CURLOPT_CUSTOMREQUEST, method), "method")
            }
        } else {
            switch method {
            case "GET": try check(purse_curl_setopt_long(h, CURLOPT_HTTPGET, 1), "GET")
            case "HEAD": try check(purse_curl_setopt_long(h, CURLOPT_NOBODY, 1), "HEAD")
            case "POST":
                try check(purse_curl_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, 0), "body size")
                try check(purse_curl_setopt_ptr(h, CURLOPT_POSTFIELDS, t.holdBody([])), "body")
            default: try check(purse_curl_setopt_str(h, CURLOPT_CUSTOMREQUEST, method), "method")
            }
        }

        // Header fields: the caller's, then defaults for what the caller did not set.
        var lines: [String] = []
        for (name, value) in request.headers {
            if HTTPHeaders.sameName(name, "Content-Length") || HTTPHeaders.sameName(name, "Transfer-Encoding") { continue }
            let trimmed = HTTPHeaders.trimmingOptionalWhitespace(value)
            // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
            lines.append(trimmed.isEmpty ? "\(name);" : "\(name): \(trimmed)")
        }
        let given = request.headers
        if !given.contains("User-Agent") { lines.append("User-Agent: \(options.userAgent)") }
        if !given.contains("Accept") { lines.append("Accept: application/json") }
        if !given.contains("Expect") { lines.append("Expect:") } // no 100-continue round trip
        if request.body != nil, !given.contains("Content-Type") {
            lines.append("Content-Type:") // not libcurl's default application/x-www-form-urlencoded
        }
        for line in lines {
            guard let next = curl_slist_append(t.headerList, line) else {
                throw HTTPError(.transport, "could not build the header list", requestMayHaveBeenSent: false)
            }
            t.headerList = next
        }
        try check(purse_curl_setopt_slist(h, CURLOPT_HTTPHEADER, t.headerList), "headers")
    }

    // MARK: - The transfer (runs on its own thread)

    private static func perform(_ h: UnsafeMutableRawPointer, _ t: CurlTransfer, url: String) -> Result<HTTPResponse, HTTPError> {
        let rc = curl_easy_perform(h)
        let sent = t.requestStarted
        if rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && t.truncated) {
            var status = 0
            _ = purse_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(
                status: status,
                headers: t.headers,
                body: t.body,
                truncated: t.truncated,
                redirectLocation: info(h, CURLINFO_REDIRECT_URL),
                effectiveURL: info(h, CURLINFO_EFFECTIVE_URL) ?? url
            ))
        }
        let detail = describe(rc, t)
        if rc == CURLE_WRITE_ERROR, t.headersTooLarge {
            return .failure(HTTPError(.headersTooLarge, "more than \(t.maxHeaderBytes) bytes of headers", requestMayHaveBeenSent: true))
        }
        if rc == CURLE_OUT_OF_MEMORY, sent, t.body.isEmpty {
            // libcurl refuses a single header line over its 100 KiB limit with "out of memory"
            // before our own cap sees it.
            return .failure(HTTPError(.headersTooLarge, "a response header line is over libcurl's 100 KiB limit", requestMayHaveBeenSent: true))
        }
        if t.isCancelled, rc == CURLE_ABORTED_BY_CALLBACK {
            return .failure(HTTPError(.cancelled, detail, requestMayHaveBeenSent: sent))
        }
        let kind: HTTPError.Kind
        switch rc {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_URL_MALFORMAT: kind = .invalidURL
        case CURLE_UNSUPPORTED_PROTOCOL: kind = .unsupportedScheme
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            kind = .connectFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_INVALIDCERTSTATUS:
            kind = .tls
        default: kind = sent ? .transport : .connectFailed
        }
        return .failure(HTTPError(kind, detail, requestMayHaveBeenSent: sent))
    }

    private static func info(_ h: UnsafeMutableRawPointer, _ what: CURLINFO) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard purse_curl_getinfo_str(h, what, &out) == CURLE_OK, let out else { return nil }
        return String(cString: out)
    }

    private static func describe(_ rc: CURLcode, _ t: CurlTransfer) -> String {
        let text = t.errorText
        return "\(text.isEmpty ? curlText(rc) : text) (curl error \(rc.rawValue))"
    }

    private static func curlText(_ rc: CURLcode) -> String {
        curl_easy_strerror(rc).map { String(cString: $0) } ?? "unknown libcurl error"
    }
}

/// libcurl's process-wide loading and initialization, done once, on first use.
///
/// libcurl is not linked but loaded with dlopen (`CCurl/LazyCurl.c`), together with
/// `curl_global_init`: its shared libraries were a fifth of an idle server's resident memory.
enum CurlGlobal {
    /// nil when libcurl is loaded and initialized; otherwise why not (libcurl missing, too old,
    /// or its initialization failed). The first call loads it; later calls only read a flag.
    static var failure: String? {
        if purse_curl_load() != 0 { return nil }
        return purse_curl_load_error().map { String(cString: $0) } ?? "libcurl failed to initialize"
    }
}
