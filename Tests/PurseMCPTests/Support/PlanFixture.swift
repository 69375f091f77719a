import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet
import X402

/// A payment plan made the way the wallet makes one (a 402 offer through `PaymentFlow`), for
/// tests that ask approvers about a plan: 0.05 USDC on Base Sepolia to 0x1111…1111 for
/// https://api.example.com/approve.
enum PlanFixture {
    static let usdc = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
    static let payTo = "0x1111111111111111111111111111111111111111"
    static let payer = "0x2222222222222222222222222222222222222222"
    static let url = "https://api.example.com/approve"

    /// The plan for an offer of `amount` atomic units to `payTo`.
    static func plan(amount: String = "50000", payTo: String = payTo) -> PaymentPlan {
        let offer: JSONValue = ["x402Version": 2, "resource": ["url": .string(url)], "accepts": [[
            "scheme": "exact", "network": "eip155:84532", "asset": .string(usdc), "amount": .string(amount),
            "payTo": .string(payTo), "maxTimeoutSeconds": 300, "extra": ["name": "USDC", "version": "2"],
        ]]]
        let response = HTTPResponse(status: 402, headers: HTTPHeaders([("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes()))]),
                                    body: Array("{}".utf8), truncated: false, redirectLocation: nil, effectiveURL: url)
        let context = FlowContext(payer: try! Address(parsing: payer), now: Int64(Date().timeIntervalSince1970),
                                  nonce: try! Nonce32(bytes: Array(repeating: 0x11, count: 32)),
                                  paymentIdentifier: PaymentIdentifier("pay_" + String(repeating: "0", count: 32))!, policy: Policy(config: PurseConfig()),
                                  maxPrice: nil)
        var flow = PaymentFlow(resource: PaymentResource(method: "GET", url: url, host: HostName("api.example.com")), context: context)
        _ = flow.start()
        guard case let .reserve(plan) = flow.unpaidAnswered(HTTPPaymentChannel.unpaidAnswer(response)) else {
            fatalError("the fixture offer did not make a plan")
        }
        return plan
    }

    /// The terms of `plan()`.
    static var terms: ApprovalTerms { plan().approvalTerms }
}
