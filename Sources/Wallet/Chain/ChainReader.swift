/// Answers the flow's read-only chain questions (`FlowAction.readChain`).
///
/// A protocol so the flow's driver is tested with canned answers; `RPCChainReader` asks the
/// configured JSON-RPC node.
public protocol ChainReader: Sendable {
    /// The answer to `question`, or why the chain could not be asked.
    func answer(_ question: ChainQuestion) async -> Result<ChainAnswer, FlowRefusal>
}
