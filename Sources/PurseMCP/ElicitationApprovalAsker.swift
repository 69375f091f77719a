// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import MCP
import PurseCore
import Wallet

/// Asks the human to approve a payment through MCP elicitation (form mode).
///
/// - No `elicitation` (form) capability declared at `initialize` → `.unsupported`, and nothing
///   is sent. The SDK checks capabilities only in strict mode, so we check ourselves.
/// - Otherwise sends `elicitation/create` with the payment in the message and one boolean field
///   `approve`: accept with `approve == true` → `.approved`; accept with false, decline or
///   cancel → `.declined`; a JSON-RPC error → `.declined` (`.unsupported` for method-not-found).
/// - No answer within `timeout`, or stdin closed → `.timedOut`; on timeout the transport tells
///   the client with `notifications/cancelled` so it can close the prompt.
struct ElicitationApprovalAsker: ApprovalAsker {
    let server: Server
    let session: ClientSession
    let transport: LineTransport
    let timeout: Duration
    let logs: LogRouter

    private enum Outcome: Sendable {
        case answer(CreateElicitation.Result)
        case failure(String, unsupported: Bool)
        case timeout
        case inputClosed
    }

    /// The form the human fills in.
    static let schema = Elicitation.RequestSchema(
        title: "Approve payment",
        properties: [
            "approve": .object([
                "type": .string("boolean"),
                "title": .string("Approve this payment"),
                "description": .string("Check to let the wallet pay this amount; leave unchecked to refuse."),
                "default": .bool(false),
            ])
        ],
        required: ["approve"])

    /// The reason a timed-out prompt's `notifications/cancelled` gives.
    static let timeoutReason = "Payment approval timed out"

    func ask(_ request: ApprovalRequest) async -> ApprovalDecision {
        guard session.supportsFormElicitation else {
            logs.log(.notice, "Payment approval needed but the client has no elicitation support: \(request.amount) \(request.symbol) to \(request.host)")
            return .unsupported
        }
        let tag = UUID().uuidString
        let outcome = OneShot<Outcome>()
        let server = self.server
        let message = request.message
        Task {
            do {
                let result = try await server.requestElicitation(
                    message: message, requestedSchema: Self.schema,
                    _meta: Metadata(additionalFields: [FrameClassifier.approvalTagKey: .string(tag)]))
                outcome.fulfil(.answer(result))
            } catch let error as MCPError {
                if case .methodNotFound = error {
                    outcome.fulfil(.failure("\(error)", unsupported: true))
                } else {
                    outcome.fulfil(.failure("\(error)", unsupported: false))
                }
            } catch {
                outcome.fulfil(.failure("\(error)", unsupported: false))
            }
        }
        let timer = Task { [timeout] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { outcome.fulfil(.timeout) }
        }
        // Registered, not awaited in a task: once this approval is decided, nothing of it stays
        // parked on the latch until the session ends.
        let closed = transport.inputClosed
        let closedWatch = closed.onFire { outcome.fulfil(.inputClosed) }
        let result = await outcome.value()
        timer.cancel()
        if let closedWatch { closed.withdraw(closedWatch) }
        // The prompt is forgotten either way; a timed-out one is withdrawn by the transport, at
        // once or, when its task stalled and it is not even queued yet, right behind it.
        if case .timeout = result {
            transport.abandonApproval(tag: tag, reason: Self.timeoutReason)
        } else {
            transport.forgetApproval(tag: tag)
        }

        switch result {
        case let .answer(answer):
            if answer.action == .accept, answer.content?["approve"] == .bool(true) {
                logs.log(.info, "Payment approved by the user: \(request.amount) \(request.symbol) to \(request.host)")
                return .approved
            }
            logs.log(.info, "Payment declined by the user (\(answer.action.rawValue)): \(request.amount) \(request.symbol) to \(request.host)")
            return .declined
        case let .failure(error, unsupported):
            logs.log(.warning, "Payment approval request failed: \(error)")
            return unsupported ? .unsupported : .declined
        case .timeout:
            logs.log(.warning, "Payment approval timed out: \(request.amount) \(request.symbol) to \(request.host)")
            return .timedOut
        case .inputClosed:
            logs.log(.warning, "Client disconnected before answering a payment approval")
            return .timedOut
        }
    }
}
