extension CodedError {
    /// `{"error": {"code": …, "message": …}}`: how every face reports a failure as data (the
    /// MCP tools' error results, `--json` output).
    public var errorJSON: JSONValue {
        ["error": ["code": .string(code), "message": .string(message)]]
    }
}
