// ChainRPC: Ethereum JSON-RPC over HTTPClient (being written).
