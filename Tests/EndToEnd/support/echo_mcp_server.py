"""A trivial MCP server (mcp 2.3.0 MCPServer) standing in for Purse, to test mcp_driver.py.

Tools named like Purse's: wallet_address (reads PURSE_TEST_ADDRESS from the env it was given),
quote (logs a message), paid_fetch (asks for approval by elicitation), plus a resource.
"""

import os

from pydantic import BaseModel

from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("fake-purse")


class Approve(BaseModel):
    confirm: bool = False


@server.tool()
def wallet_address() -> str:
    return os.environ.get("PURSE_TEST_ADDRESS", "unset")


@server.tool()
async def quote(url: str, ctx: Context) -> dict:
    await ctx.info(f"quoting {url}")
    return {"url": url, "amount": "10000"}


@server.tool()
async def paid_fetch(url: str, ctx: Context) -> dict:
    r = await ctx.elicit(f"Pay 0.01 USDC for {url}?", Approve)
    return {"action": r.action, "paid": r.action == "accept"}


@server.resource("purse://budget")
def budget() -> str:
    return '{"left":"1000000"}'


if __name__ == "__main__":
    server.run("stdio")
