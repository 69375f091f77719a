"""A minimal Python MCP server that pays x402, on the official `mcp` and `x402` SDKs. BENCH ONLY.

The comparator for Purse's spawn → `initialize` time and idle memory: what a Python wallet server
written the obvious way costs. Like `purse serve`, it sets its wallet up before serving (loads the
key from `PEER_PRIVATE_KEY`, registers the exact EVM scheme, sets spend controls), then serves
one tool, `paid_fetch(url)`, over stdio through `x402HttpxClient`.

    PEER_PRIVATE_KEY=0x… python bench/py_mcp_peer.py
"""

from __future__ import annotations

import os

from eth_account import Account
from mcp.server.mcpserver import MCPServer
from x402 import x402Client
from x402.http.clients import x402HttpxClient
from x402.mechanisms.evm import EthAccountSigner
from x402.mechanisms.evm.exact import register_exact_evm_client

NETWORK = os.environ.get("PEER_NETWORK", "eip155:84532")
TOKEN = os.environ.get("PEER_TOKEN", "0x5FbDB2315678afecb367f032d93F642f64180aa3")

_client = x402Client()
register_exact_evm_client(_client, EthAccountSigner(Account.from_key(os.environ["PEER_PRIVATE_KEY"])))
_client.set_spend_controls(
    {"allowed_assets": [{"network": NETWORK, "asset": TOKEN, "max_amount_per_payment": "100000"}]})

server = MCPServer("py-x402-peer")


@server.tool()
async def paid_fetch(url: str) -> dict:
    """GET a URL, paying an x402 402 automatically (within the spend controls)."""
    async with x402HttpxClient(_client, timeout=30) as http:
        r = await http.get(url)
        return {"status": r.status_code, "body": r.text[:100_000],
                "payment_response": r.headers.get("payment-response")}


if __name__ == "__main__":
    server.run("stdio")
