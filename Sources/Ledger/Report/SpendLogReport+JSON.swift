import PurseCore

extension SpendLogReport {
    /// The report as JSON with stable keys (see `schemas/spend-log.schema.json`).
    ///
    /// Amounts are decimal strings (`"0.01"`) and atomic integers are strings too, so no
    /// consumer loses precision to floating point. Times are ISO 8601 UTC with milliseconds.
    public func json() -> JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let payments: [JSONValue] = self.payments.map { p in
            .object([
                "id": .integer(p.id),
                "sessionID": .string(p.sessionID),
                "createdAt": .string(Self.timestamp(p.createdAt, iso: true)),
                "updatedAt": .string(Self.timestamp(p.updatedAt, iso: true)),
                "method": .string(p.method),
                "url": .string(p.url),
                "host": .string(p.host.name),
                "network": .string(p.network),
                "asset": .string(p.asset.text),
                "assetSymbol": .string(p.assetSymbol),
                "decimals": .integer(p.decimals),
                "payTo": .string(p.payTo.text),
                "amount": .string(Self.amount(p)),
                "amountAtomic": .string(String(p.amountAtomic)),
                "micros": .string(String(p.micros.value)),
                "scheme": .string(p.scheme),
                "x402Version": .integer(p.x402Version),
                "nonce": .string(p.authorization.value),
                "authorization": .string(p.authorization.kind),
                "validBefore": .integer(p.validBefore),
                "status": .string(p.status.rawValue),
                "txHash": opt(p.txHash),
                "payer": .string(p.payer.text),
                "error": opt(p.error),
                "httpStatus": p.httpStatus.map { .integer($0) } ?? .null,
                "paymentId": opt(p.paymentId),
                "receipt": p.receipt.map { (try? JSONValue.parse(Array($0.utf8))) ?? .string($0) } ?? .null,
                "maxAmount": opt(Self.maxAmount(p)),
                "maxAmountAtomic": opt(p.maxAmountAtomic.map { String($0) }),
                "amountSource": opt(p.amountSource?.rawValue),
                "amountNote": opt(p.amountNote),
            ])
        }
        func total(_ keyName: String, _ t: Total) -> JSONValue {
            .object([
                keyName: .string(t.key),
                "settled": .string(Self.units(t.settledMicros)),
                "pending": .string(Self.units(t.pendingMicros)),
                "released": .string(Self.units(t.releasedMicros)),
                "count": .integer(t.count),
            ])
        }
        let all = grandTotal
        let totals: JSONValue = .object([
            "symbol": .string(budgetSymbol),
            "settled": .string(Self.units(all.settledMicros)),
            "pending": .string(Self.units(all.pendingMicros)),
            "released": .string(Self.units(all.releasedMicros)),
            "bySession": .array(totalsBySession.map { total("sessionID", $0) }),
            "byHost": .array(totalsByHost.map { total("host", $0) }),
        ])
        var budget: JSONValue = .null
        if limits != nil, usage != nil {
            budget = .object([
                "symbol": .string(budgetSymbol),
                "lines": .array(budgetLines.map { line in
                    .object([
                        "limit": .string(line.limit.rawValue),
                        "host": opt(line.host),
                        "limitAmount": .string(Self.units(line.limitMicros)),
                        "spent": .string(Self.units(line.spentMicros)),
                        "left": .string(Self.units(line.leftMicros)),
                    ])
                }),
            ])
        }
        return .object([
            "generatedAt": .string(Self.timestamp(now, iso: true)),
            "currentSessionID": opt(currentSessionID),
            "payments": .array(payments),
            "totals": totals,
            "budget": budget,
        ])
    }
}
