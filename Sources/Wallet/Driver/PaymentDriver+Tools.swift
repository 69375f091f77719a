import BlockingWork
import MCPUpstream
import PurseCore
import X402

extension PaymentDriver {
    /// Calls an upstream MCP tool over `channel`, paying if its answer asks and everything allows:
    /// the same `pay` loop as `fetch` (policy with the channel's host, cap, budgets, approval,
    /// reservation, one signature, ledger, unknown outcomes left for reconcile).
    ///
    /// The work runs in its own task: cancelling the caller never leaves a payment half-recorded.
    public func callTool(_ channel: MCPToolPaymentChannel, maxPrice: Micros?, approver: any PaymentApprover) async -> ToolCallResult {
        let run = await Task(executorPreference: BlockingWorkers.current) { await self.pay(channel, maxPrice: maxPrice, approver: approver) }.value
        // The budget is shown only with a payment (or a refusal of one); a free call, the common
        // case of a gateway, does not pay for a ledger read.
        let budget = run.outcome.plan == nil ? nil : await budget(after: run)
        return ToolCallResult(outcome: run.outcome, reply: run.response, paymentID: run.paymentID, budget: budget, target: channel.resource.url)
    }

    /// Calls the tool unpaid and says what Purse would pay: `dryRun` over the same channel,
    /// stopped before anything is reserved or signed.
    public func quoteTool(_ channel: MCPToolPaymentChannel, maxPrice: Micros?) async -> ToolQuoteResult {
        let run = await dryRun(channel, maxPrice: maxPrice)
        return ToolQuoteResult(reply: run.response, offer: run.offer, selection: run.selection, plan: run.plan, refusal: run.refusal,
                               convention: channel.convention, target: channel.resource.url)
    }
}
