"""A `purse serve` that is not set up (no key, a config it cannot load) still starts under the
official MCP Python client 2.3.0, in both revisions: it lists its tools, and every tool and
resource answers with the configuration error and the fix, so the agent can tell its human what to
do. Nothing can be paid (there is no key), and stdout stays JSON-RPC only.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from mcp_driver import PurseMCP
from purse_e2e import base_env, result_json

TOOLS = ["paid_fetch", "quote", "wallet_balance", "wallet_address", "budget_status", "spend_log", "discover",
         "paid_tool_call", "tool_quote"]
ARGS = {"paid_fetch": {"url": "http://127.0.0.1:9/weather"}, "quote": {"url": "http://127.0.0.1:9/weather"},
        "discover": {"query": "weather"}, "paid_tool_call": {"server_url": "http://127.0.0.1:9/mcp", "tool": "t"},
        "tool_quote": {"server_url": "http://127.0.0.1:9/mcp", "tool": "t"}}


def setups(tmp_path, world):
    """(name, config text, expected code, a phrase of the fix)."""
    return {
        "no_key": ("{}", "key.not_configured", "purse keygen --out"),
        "unknown_key": ('{"policy": {"maxPerRequestt": "0.10"}}', "config.unknown_key", "Fix "),
        "not_json": ("{ this is not json", "config.not_json", "Fix "),
        "missing_password": (json.dumps({"key": {"keystore": str(tmp_path / "k.json"), "passwordEnv": "NOPE_PASSWORD"}}),
                             "key.password_missing", "password variable"),
    }


@pytest.mark.parametrize("mode", [None, "2026-07-28"])
@pytest.mark.parametrize("setup", ["no_key", "unknown_key", "not_json", "missing_password"])
def test_unconfigured_serve_explains_itself(setup, mode, world, purse_bin, tmp_path):
    text, code, phrase = setups(tmp_path, world)[setup]
    (tmp_path / "k.json").write_text("{}")  # a keystore file exists; its password variable does not
    config = tmp_path / "config.json"
    config.write_text(text)
    env = base_env(tmp_path)  # no PURSE_PRIVATE_KEY
    cmd = [str(purse_bin), "serve", "--config", str(config), "--db", str(tmp_path / "purse.db")]

    async def go():
        async with PurseMCP(cmd, env, mode=mode) as s:
            names = await s.tool_names()
            results = {t: await s.call(t, ARGS.get(t, {})) for t in TOOLS}
            return s.negotiated_version, names, results, await s.read("purse://budget")

    version, names, results, budget = asyncio.run(asyncio.wait_for(go(), 60))
    first = result_json(results["paid_fetch"])
    print(f"\n{setup} ({version}): tools {names}\n  paid_fetch → {json.dumps(first)[:600]}")
    assert names == TOOLS
    for tool, r in results.items():
        d = result_json(r)
        assert r["isError"], tool
        assert d["notConfigured"] is True and d["error"]["code"] == code, (tool, d)
        assert phrase in d["error"]["fix"], (tool, d["error"]["fix"])
        assert d["configPath"] == str(config)
        assert "not set up" in r["text"] and d["error"]["fix"] in r["text"]
    assert json.loads(budget)["error"]["code"] == code
