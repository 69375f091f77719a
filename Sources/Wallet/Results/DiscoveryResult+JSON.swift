import PurseCore

extension DiscoveryResult {
    /// The structured result shared by `purse discover --json` and the `discover` tool:
    /// `{"results": [{resource, type, description, serviceName, price, symbol, network, payable,
    /// reason, toolName, endpoint}], "sources": [{endpoint, ok, error}]}`.
    public func json() -> JSONValue {
        let results: [JSONValue] = results.map { r in
            let o: JSONObject = [
                "resource": .string(r.item.resource),
                "type": .string(r.item.kind.rawValue),
                "description": r.item.description.map(JSONValue.string) ?? .null,
                "serviceName": r.item.serviceName.map(JSONValue.string) ?? .null,
                "price": r.price.map(JSONValue.string) ?? .null,
                "symbol": r.symbol.map(JSONValue.string) ?? .null,
                "network": r.network.map(JSONValue.string) ?? .null,
                "payable": .bool(r.payable),
                "reason": r.reason.map(JSONValue.string) ?? .null,
                "toolName": r.item.toolName.map(JSONValue.string) ?? .null,
                "endpoint": .string(r.item.endpoint),
            ]
            return .object(o)
        }
        let sources: [JSONValue] = sources.map { s in
            .object(["endpoint": .string(s.endpoint), "ok": .bool(s.ok), "error": s.note.map(JSONValue.string) ?? .null])
        }
        return .object(["results": .array(results), "sources": .array(sources)])
    }
}
