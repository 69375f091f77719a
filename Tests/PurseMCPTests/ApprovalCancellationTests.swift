import Foundation
import MCP
import PurseCore
import Testing
@testable import PurseMCP

/// A payment prompt (`elicitation/create`) that timed out is cancelled with
/// `notifications/cancelled`, even when a stalled task queues the prompt only after the timeout:
/// the transport then writes the cancellation right behind it, so no prompt the wallet no
/// longer waits for stays open in the client.
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

    @Test("given up before it was queued: the prompt goes out, its cancellation right behind it", arguments: [
        JSONValue.integer(7), JSONValue.string("req-7"),
    ])
    func abandonedBeforeQueued(id: JSONValue) async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        #expect(rig.transport.abandonApproval(tag: "t1", reason: Self.reason) == nil)
        try await rig.transport.send(Self.prompt(id: id, tag: "t1"))
        // Forgotten once cancelled: giving it up again finds nothing and writes nothing more.
        #expect(rig.transport.abandonApproval(tag: "t1", reason: Self.reason) == nil)
        let (_, written) = try await rig.finish()
        #expect(written.count == 2)
        #expect(written.first?["method"] == "elicitation/create")
        #expect(written.first?["id"] == id)
        let cancel = try #require(written.last)
        #expect(cancel["method"] == "notifications/cancelled")
        #expect(cancel["params"]?["requestId"] == id)
        #expect(cancel["params"]?["reason"] == .string(Self.reason))
    }

    @Test("given up after it was queued: its id comes back for the asker to cancel; the transport adds nothing")
    func abandonedAfterQueued() async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        try await rig.transport.send(Self.prompt(id: 8, tag: "t2"))
        #expect(rig.transport.abandonApproval(tag: "t2", reason: Self.reason) == MCP.ID.number(8))
        let (_, written) = try await rig.finish()
        #expect(written.map { $0["method"] } == ["elicitation/create"])
    }

    @Test("an answered prompt is forgotten, and giving up another tag leaves it alone")
    func otherTagsAreUntouched() async throws {
        let rig = try await TransportRig(maxLineBytes: 1 << 20)
        #expect(rig.transport.abandonApproval(tag: "other", reason: Self.reason) == nil)
        try await rig.transport.send(Self.prompt(id: 9, tag: "t3"))
        #expect(rig.transport.takeApprovalRequestID(tag: "t3") == MCP.ID.number(9))
        #expect(rig.transport.takeApprovalRequestID(tag: "t3") == nil)
        let (_, written) = try await rig.finish()
        #expect(written.map { $0["method"] } == ["elicitation/create"])
    }
}
