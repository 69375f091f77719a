import PurseCore

/// Why a payment flow stopped without paying (or could not complete), as a value.
///
/// The flow's actions and outcomes are `Equatable`, so every error that enters the flow is
/// captured here by its code and message, plus whether it means "the request could not be made
/// at all" (reported as outcome `error`, not `refused`).
public struct FlowRefusal: CodedError, Equatable {
    /// The stable code (`budget.daily_exceeded`, `policy.host_denied`, `http.timeout`, …).
    public let code: String
    /// The explanation.
    public let message: String
    /// True when the request never reached the server (transport failure before paying).
    public let isTransportFailure: Bool
    /// The pending terminal approval that would lift this refusal (`approval.required`), if any.
    public let approval: ApprovalTicket?

    /// Creates a refusal.
    public init(code: String, message: String, isTransportFailure: Bool = false, approval: ApprovalTicket? = nil) {
        self.code = code
        self.message = message
        self.isTransportFailure = isTransportFailure
        self.approval = approval
    }

    /// Captures any coded error.
    public init(_ error: any CodedError, isTransportFailure: Bool = false) {
        self.init(code: error.code, message: error.message, isTransportFailure: isTransportFailure)
    }
}
