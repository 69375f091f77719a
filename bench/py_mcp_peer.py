"""A minimal Python MCP server that pays x402, on the official `mcp` and `x402` SDKs. BENCH ONLY.

The comparator for Purse's spawn → `initialize` time and idle memory: what a Python wallet server
written the obvious way costs. Like `purse serve`, it sets its wallet up before serving (imports
the x402 SDK, loads the key from `PEER_PRIVATE_KEY`, registers the exact EVM scheme, sets spend
controls), then serves one tool, `paid_fetch(url)`, over stdio through `x402HttpxClient`.
With `PEER_LAZY=1` the wallet is set up on the first tool call instead (faster `initialize`, the
first payment pays for the imports), as the PyPI `x402-mcp` does.

    PEER_PRIVATE_KEY=0x… [PEER_LAZY=1] python bench/py_mcp_peer.py
"""

from __future__ import annotations

import os
from typing import Any

from mcp.server.mcpserver import MCPServer

NETWORK = os.environ.get("PEER_NETWORK", "eip155:84532")
TOKEN = os.environ.get("PEER_TOKEN", "0x5FbDB2315678afecb367f032d93F642f64180aa3")

_client: Any = None


def wallet() -> Any:
    global _client
    if _client is None:
        from eth_account import Account
        from x402 import x402Client
        from x402.mechanisms.evm import EthAccountSigner
        from x402.mechanisms.evm.exact import register_exact_evm_client

        c = x402Client()
        register_exact_evm_client(c, EthAccountSigner(Account.from_key(os.environ["PEER_PRIVATE_KEY"])))
        c.set_spend_controls(
            {"allowed_assets": [{"network": NETWORK, "asset": TOKEN, "max_amount_per_payment": "100000"}]})
        _client = c
    return _client


if os.environ.get("PEER_LAZY") != "1":
    wallet()

server = MCPServer("py-x402-peer")


@server.tool()
async def paid_fetch(url: str) -> dict:
    """GET a URL, paying an x402 402 automatically (within the spend controls)."""
    from x402.http.clients import x402HttpxClient

    async with x402HttpxClient(wallet(), timeout=30) as http:
        r = await http.get(url)
        return {"status": r.status_code, "body": r.text[:100_000],
                "payment_response": r.headers.get("payment-response")}


if __name__ == "__main__":
    server.run("stdio")
