// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// Outgoing frames: which request a frame answers, found without decoding the frame.
///
/// The transport must know, for every frame it writes, the id of the request it answers (so that
/// at stdin EOF it finishes only once every request is answered). A tool result can be megabytes
/// of JSON; decoding each one in full just to read its id doubled the work of every reply.
///
/// Instead `scanOutgoing` walks the frame's top-level members with `JSONMemberScanner`, which
/// skips values without decoding them, and stops as soon as it knows the answer:
///
/// - **Correct for any key order.** The walk reads members in the order they are written and
///   decides only from what it has read: a frame is a response once it has seen an `id` member
///   and a `result` or `error` member; a notification only after reaching the closing brace
///   without an `id`; a request when it has seen `id` and `method`. Keys containing an escape,
///   frames that are not one object (batches), and anything it cannot follow fall back to the
///   full parse (`parsedOutgoing`), which was the only path before. The id itself is re-parsed
///   with the strict `JSONParser`, from its own few bytes, so it is keyed exactly as an
///   incoming id is.
/// - **Fast because of the SDK's encoding.** swift-sdk 0.12.1 encodes every message with
///   `JSONEncoder` and `.sortedKeys` (`Server.send`, `notify`, the batch path). In sorted order
///   `"id"` < `"jsonrpc"` < `"result"`, so a success response reads `{"id":…,"jsonrpc":"2.0",
///   "result":` and the walk stops there: it examines a few dozen bytes, however large the
///   result. An error response starts with its (small) `error` object, then `id`. A
///   notification (`{"jsonrpc":…,"method":…,"params":…}`) is walked to its end without
///   allocating; notifications are log lines and progress reports. If a future SDK stopped
///   sorting keys, the answers would stay the same and only the speed would change.
/// - **Assumption, stated:** a frame holding both `result`/`error` and `method` is not JSON-RPC,
///   and the SDK never writes one; if `id` and `result` come first such a frame is taken for a
///   response.
///
/// Outgoing requests (`elicitation/create`, rare and small) are still parsed in full, because
/// the approval asker needs the tag in their `params._meta`.
extension FrameClassifier {
    /// What an outgoing frame is.
    struct Outgoing: Equatable {
        /// The keys of the requests this frame answers.
        var answers: [String] = []
        /// An outgoing request's approval tag (`params._meta["purse/approvalId"]`) and its id.
        var approvalTag: (tag: String, id: JSONValue)?

        static func == (a: Outgoing, b: Outgoing) -> Bool {
            a.answers == b.answers && a.approvalTag?.tag == b.approvalTag?.tag && a.approvalTag?.id == b.approvalTag?.id
        }
    }

    /// What a walk of an outgoing frame's top-level members found.
    enum OutgoingKind: Equatable {
        /// A response to the request with this id.
        case response(id: JSONValue)
        /// A request of ours (it has an id and a method).
        case request
        /// A notification: the whole object was walked and has no id.
        case notification
        /// The walk could not tell (not one object, an escaped key, not JSON-RPC).
        case unknown
    }

    /// Classifies one outgoing frame (as the SDK encoded it).
    static func outgoing(_ frame: [UInt8]) -> Outgoing {
        switch scanOutgoing(frame).kind {
        case let .response(id):
            return Outgoing(answers: key(id).map { [$0] } ?? [])
        case .notification:
            return Outgoing()
        case .request, .unknown:
            return parsedOutgoing(frame)
        }
    }

    /// Walks the frame's top-level members until its kind is known; also says how many bytes
    /// were examined (tests pin that a large result is not read).
    static func scanOutgoing(_ frame: [UInt8]) -> (kind: OutgoingKind, examined: Int) {
        guard var scanner = JSONMemberScanner(frame) else { return (.unknown, 0) }
        var id: Range<Int>?
        var answers = false
        var method = false
        walk: while true {
            switch scanner.nextKey() {
            case .stop:
                return (.unknown, scanner.position)
            case .end:
                break walk
            case let .key(k, escaped):
                if escaped { return (.unknown, scanner.position) }
                if scanner.key(k, is: "id") {
                    guard let range = scanner.skipValue() else { return (.unknown, scanner.position) }
                    id = range
                    if answers || method { break walk }
                } else if scanner.key(k, is: "result") || scanner.key(k, is: "error") {
                    answers = true
                    if id != nil { break walk }  // do not read the result
                    guard scanner.skipValue() != nil else { return (.unknown, scanner.position) }
                } else if scanner.key(k, is: "method") {
                    method = true
                    if id != nil { break walk }
                    guard scanner.skipValue() != nil else { return (.unknown, scanner.position) }
                } else {
                    guard scanner.skipValue() != nil else { return (.unknown, scanner.position) }
                }
            }
        }
        let examined = scanner.position
        switch (id, answers, method) {
        case let (range?, true, false):
            guard let value = try? parser.parse(frame[range]) else { return (.unknown, examined) }
            return (.response(id: value), examined)
        case (_?, false, true):
            return (.request, examined)
        case (nil, false, true):
            return (.notification, examined)
        default:
            return (.unknown, examined)
        }
    }

    /// The id of a request line that is too long to read, if it shows within `prefix` (the
    /// line's first bytes): the value of a top-level `id` member that is a string or an integer.
    /// The prefix is untrusted, so the candidate is re-parsed with the strict parser.
    static func requestID(inPrefix prefix: [UInt8]) -> JSONValue? {
        guard var scanner = JSONMemberScanner(prefix) else { return nil }
        while case let .key(k, escaped) = scanner.nextKey() {
            guard let range = scanner.skipValue() else { return nil }
            if !escaped, scanner.key(k, is: "id") {
                guard let value = try? parser.parse(prefix[range]), key(value) != nil else { return nil }
                return value
            }
        }
        return nil
    }

    /// The full parse: what `outgoing` did for every frame before the walk, kept for the frames
    /// the walk cannot tell and for requests (which carry the approval tag).
    static func parsedOutgoing(_ frame: [UInt8]) -> Outgoing {
        guard let value = try? parser.parse(frame) else { return Outgoing() }
        var out = Outgoing()
        let objects: [JSONObject] =
            value.objectValue.map { [$0] } ?? value.arrayValue?.compactMap(\.objectValue) ?? []
        for o in objects {
            guard let id = o["id"] else { continue }
            if o["method"] == nil {
                if let k = key(id) { out.answers.append(k) }
            } else if let tag = o["params"]?["_meta"]?[approvalTagKey]?.stringValue {
                out.approvalTag = (tag, id)
            }
        }
        return out
    }
}
