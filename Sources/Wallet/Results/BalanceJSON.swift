import PurseCore

/// The JSON of a balance read, shared by `purse balance --json` and the `wallet_balance` tool.
public enum BalanceJSON {
    /// `{address, solanaAddress?, balances: [...], errors: [...]}`.
    public static func make(address: String, solanaAddress: String? = nil, balances: [BalanceReader.Balance], failures: [BalanceReader.Failure]) -> JSONValue {
        var o: JSONObject = [
            "address": .string(address),
            "balances": .array(balances.map {
                ["network": .string($0.network), "asset": .string($0.asset), "symbol": .string($0.symbol),
                 "amount": .string($0.amount), "amountAtomic": .string($0.atomic)]
            }),
            "errors": .array(failures.map {
                ["network": .string($0.network), "asset": $0.asset.map(JSONValue.string) ?? .null, "error": .string($0.error)]
            }),
        ]
        if let solanaAddress { o["solanaAddress"] = .string(solanaAddress) }
        return .object(o)
    }
}
