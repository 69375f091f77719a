import Foundation
import PurseCore
import Testing
@testable import PurseMCP

/// A payment prompt (`elicitation/create`) that timed out is cancelled with
/// `notifications/cancelled` by the transport: at once when the prompt was queued in time, and
/// right behind it when a stalled task queues it only after the timeout, so no prompt the wallet
/// no longer waits for stays open in the client.
@Suite("cancelling a timed-out approval prompt", .timeLimit(.minutes(1)))
struct ApprovalCancellationTests {
    /// An elicitation request as the SDK writes it, tagged as `ElicitationApprovalAsker` tags it.
    static func prompt(id: JSONValue, tag: String) -> Data {
        let frame: JSONValue = [
            "jsonrpc": "2.0", "id": id, "method": "elicitation/create",
            "params": ["message": "Pay 0.05 USDC?", "requestedSchema": ["type": "object", "properties": [:]],
                       "_meta": .object([FrameClassifier.approvalTagKey: .string(tag)])],
        ]
        return Data(frame.encodedBytes())
    }

    static let reason = ElicitationApprovalAsker.timeoutReason

    /// The prompt, then its cancellation, as written.
    static func expectPromptThenCancel(_ written: [JSONValue], id: JSONValue) throws {
        #expect(written.count == 2)
        #expect(written.first?["method"] == "elicitation/create")
        #expect(written.first?["id"] == id)
        let cancel = try #require(written.last)
        #expect(cancel["method"] == "notifications/cancelled")
        #expect(cancel["params"]?["requestId"] == id)
        #expect(cancel["params"]?["reason"] == .string(Self.reason))
    }

    @Test("given up before it was queued: the prompt goes out, its cancellation right behind it", arguments: [
        JSONValue.integer(7), JSONValue.string("req-7"),
    ])
    func abandonedBeforeQueued(id: JSONValue) async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        rig.transport.abandonApproval(tag: "t1", reason: Self.reason)
        try await rig.transport.send(Self.prompt(id: id, tag: "t1"))
        // Forgotten once cancelled: giving it up again writes nothing more.
        rig.transport.abandonApproval(tag: "t1", reason: Self.reason)
        let (_, written) = try await rig.finish()
        try Self.expectPromptThenCancel(written, id: id)
    }

    @Test("given up after it was queued: cancelled at once, and only once")
    func abandonedAfterQueued() async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        try await rig.transport.send(Self.prompt(id: 8, tag: "t2"))
        rig.transport.abandonApproval(tag: "t2", reason: Self.reason)
        #expect(!rig.transport.forgetApproval(tag: "t2"))
        let (_, written) = try await rig.finish()
        try Self.expectPromptThenCancel(written, id: 8)
    }

    @Test("an answered prompt is forgotten, and giving up another tag leaves it alone")
    func otherTagsAreUntouched() async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        rig.transport.abandonApproval(tag: "other", reason: Self.reason)
        try await rig.transport.send(Self.prompt(id: 9, tag: "t3"))
        #expect(rig.transport.forgetApproval(tag: "t3"))
        #expect(!rig.transport.forgetApproval(tag: "t3"))
        let (_, written) = try await rig.finish()
        #expect(written.map { $0["method"] } == ["elicitation/create"])
    }
}
