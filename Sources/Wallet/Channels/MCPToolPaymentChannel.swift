import MCPUpstream
import PurseCore
import X402

/// x402 over an MCP `tools/call` (x402 `specs/transports-v2/mcp.md`, and the two other
/// conventions met in the wild): the unpaid call's result asks for payment, the paid retry
/// carries the payload in `_meta["x402/payment"]`, the receipt comes back in
/// `_meta["x402/payment-response"]`.
///
/// Which shape the payment takes (a JSON object, or a base64 string for an upstream in the
/// Cloudflare convention) is decided from the upstream's own payment-required answer, before
/// anything is signed, and fixed for the call: every resend carries identical bytes. A
/// payment-required answer to the paid call is a refusal (a loop), never a reason to pay again:
/// the flow signs at most once.
public struct MCPToolPaymentChannel: PaymentChannel {
    public typealias Response = RPCReply

    /// The tool's name at the upstream.
    public let tool: String
    /// The arguments, forwarded unchanged on every send.
    public let arguments: JSONObject
    public let resource: PaymentResource
    private let sender: any ToolCallSender
    private let learned = Locked<MCPPaymentConvention?>(nil)

    /// Creates the channel for one call.
    /// - Parameters:
    ///   - resource: what the policy and ledger see: host `mcp:NAME` for a configured upstream,
    ///     the server URL's host for an ad-hoc one.
    public init(tool: String, arguments: JSONObject, resource: PaymentResource, sender: any ToolCallSender) {
        self.tool = tool
        self.arguments = arguments
        self.resource = resource
        self.sender = sender
    }

    /// The convention the unpaid answer used, once it came.
    public var convention: MCPPaymentConvention? { learned.withLock { $0 } }

    public func preflight() -> FlowRefusal? { nil }

    public func sendUnpaid() async -> ChannelAnswer<RPCReply> {
        let answer = await send(meta: nil)
        if case let .answered(reply) = answer, let c = Self.signal(reply).convention {
            learned.withLock { $0 = c }
        }
        return answer
    }

    public func sendPaid(_ payload: PaymentPayload) async -> ChannelAnswer<RPCReply> {
        let encoding = convention?.paymentEncoding ?? .object
        return await send(meta: [MCPPaymentBinding.paymentKey: MCPPaymentBinding.metaValue(payload, encoding: encoding)])
    }

    public func unpaidAnswer(_ reply: RPCReply) -> UnpaidAnswer {
        switch Self.signal(reply) {
        case .none: .notPaymentRequired
        case let .paymentRequired(offer, _): .offer(offer)
        case let .unreadable(error, _): .unreadableOffer(error)
        }
    }

    public func paidAnswer(_ reply: RPCReply) -> PaidAnswer { Self.paidAnswer(reply) }

    public func status(of reply: RPCReply) -> Int? { nil }

    /// Reads the answer to the paid call: payment-required again is a refusal (with the
    /// facilitator's reason when given); a result is delivered with its receipt (or why the
    /// receipt could not be read); a pending settlement stays unknown; an oversized or error
    /// answer is unreadable (unknown, for reconcile).
    public static func paidAnswer(_ reply: RPCReply) -> PaidAnswer {
        switch reply {
        case let .tooLarge(bytes):
            return .unreadable(reason: "the upstream's answer to the paid call is \(bytes) bytes, over the size cap, so its receipt could not be read")
        case let .error(code, message, data):
            if case let .paymentRequired(offer, _) = MCPPaymentBinding.recognise(errorCode: code, data: data) {
                return .rejected(receipt: nil, reason: offer.error ?? "the upstream asked for payment again")
            }
            return .unreadable(reason: "the upstream answered the paid call with JSON-RPC error \(code) (\(clip(message)))")
        case let .result(result):
            var receipt: SettlementResponse?
            var problem: String?
            do { receipt = try MCPPaymentBinding.receipt(result: result) } catch { problem = error.message }
            switch MCPPaymentBinding.recognise(result: result) {
            case let .paymentRequired(offer, _):
                return .rejected(receipt: receipt, reason: receipt?.errorReason ?? offer.error ?? "the upstream asked for payment again")
            case let .unreadable(error, _):
                return .unreadable(reason: "the upstream answered the paid call with a payment-required result that cannot be read (\(error.message))")
            case .none:
                if let receipt, !receipt.success, receipt.errorReason == SettlementResponse.pendingReason {
                    return .pending(status: 200, receipt: receipt)
                }
                return .delivered(receipt: receipt, receiptProblem: problem)
            }
        }
    }

    /// What an answer says about payment.
    public static func signal(_ reply: RPCReply) -> MCPPaymentSignal {
        switch reply {
        case let .result(r): MCPPaymentBinding.recognise(result: r)
        case let .error(code, _, data): MCPPaymentBinding.recognise(errorCode: code, data: data)
        case .tooLarge: .none
        }
    }

    private func send(meta: JSONObject?) async -> ChannelAnswer<RPCReply> {
        do { return .answered(try await sender.callTool(tool, arguments: arguments, meta: meta)) } catch {
            return .failed(FlowRefusal(error), mayHaveBeenSent: error.requestMayHaveBeenSent)
        }
    }

    private static func clip(_ s: String) -> String { s.count > 200 ? String(s.prefix(200)) + "…" : s }
}
