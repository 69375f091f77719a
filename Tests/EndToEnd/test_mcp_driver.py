"""mcp_driver.py against a trivial Python MCP server: env passing, tools, logs, elicitation,
resources, and a forced protocol version."""

import asyncio
import sys
from pathlib import Path

from mcp_driver import PurseMCP

SERVER = [sys.executable, str(Path(__file__).parent / "support" / "echo_mcp_server.py")]


def test_driver_calls_tools_logs_and_elicits():
    async def go():
        async with PurseMCP(SERVER, {"PURSE_TEST_ADDRESS": "0xabc"}, elicit="accept") as s:
            assert {"wallet_address", "quote", "paid_fetch"} <= set(await s.tool_names())
            assert (await s.call("wallet_address"))["text"] == "0xabc"
            q = await s.call("quote", {"url": "http://x"})
            assert not q["isError"] and q["data"]["amount"] == "10000"
            assert any("quoting" in str(m.get("data")) for m in s.logs)
            p = await s.call("paid_fetch", {"url": "http://x"})
            assert p["data"]["paid"] is True and s.elicitations
            assert "left" in await s.read("purse://budget")
        async with PurseMCP(SERVER, {}, elicit="decline") as s:
            p = await s.call("paid_fetch", {"url": "http://x"})
            assert p["data"]["action"] == "decline"
    asyncio.run(go())


def test_driver_forces_protocol_version():
    async def go():
        async with PurseMCP(SERVER, {}, protocol_version="2025-03-26") as s:
            assert s.negotiated_version == "2025-03-26"
            assert "quote" in await s.tool_names()
        async with PurseMCP(SERVER, {}) as s:
            default = s.negotiated_version
        return default
    print("\ndefault negotiated:", asyncio.run(go()))
