"""`purse serve` under the official MCP client, and the read-only CLI commands (balance, address,
budget). The official client validates every tool's structuredContent against the tool's
outputSchema, so a mismatch there breaks every real MCP host, not just this test."""

from __future__ import annotations

import asyncio
import json

import pytest
from jsonschema import Draft202012Validator

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import EXIT_ERROR, EXIT_OK, PurseCLI, base_config
from worldlib import count_transfers, transfer_logs


# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse, tool_json  # noqa: E402,F401


def local_only(world, **policy) -> dict:
    """The world's token only: the built-in Base Sepolia USDC has no contract on the local chain."""
    return base_config(world, allowAssets=[world["token"]], **policy)


def test_every_tool_answers_within_its_output_schema(world, purse):
    p = purse(local_only(world, maxPerRequest="0.015", perHost={"127.0.0.1": {"daily": "1.00"}}))
    seller = world["sellerUrl"]
    calls = [
        ("wallet_address", {}),
        ("wallet_balance", {}),
        ("budget_status", {}),
        ("quote", {"url": seller + "/weather"}),
        ("quote", {"url": seller + "/multi"}),           # refused: every option fails the policy
        ("quote", {"url": seller + "/health"}),          # no payment asked
        ("paid_fetch", {"url": seller + "/health"}),
        ("paid_fetch", {"url": seller + "/weather"}),
        ("paid_fetch", {"url": seller + "/weather", "max_price": "0.001"}),
        ("paid_fetch", {"url": "http://127.0.0.1:1/unreachable"}),
        ("spend_log", {}),
        ("spend_log", {"limit": 1, "session": "current"}),
    ]
    problems, results, schemas = [], {}, {}

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            tools = {t["name"]: t for t in await s.tools()}
            schemas.update({n: t.get("outputSchema") for n, t in tools.items()})
            assert set(tools) >= {"paid_fetch", "quote", "wallet_balance", "wallet_address", "budget_status", "spend_log"}
            for name, args in calls:
                try:
                    results[(name, str(args))] = await s.call(name, args)
                except Exception as e:  # noqa: BLE001 - collected: one report for every tool
                    problems.append(f"{name} {args}: {type(e).__name__}: {str(e).splitlines()[0]}")

    asyncio.run(asyncio.wait_for(go(), 120))
    # The client stops at the first schema error; list every one, through the CLI's identical JSON.
    cli_twins = {"budget_status": lambda a: p.run("budget", "--json"), "quote": lambda a: p.quote(a["url"])}
    for name, args in calls:
        if name in cli_twins and any(pr.startswith(f"{name} {args}") for pr in problems):
            errs = sorted(Draft202012Validator(schemas[name]).iter_errors(cli_twins[name](args).data), key=str)
            problems += [f"  {name} {args} → /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errs]
    for pr in problems:
        print("\n", pr)
    assert not problems, "\n".join(problems)
    addr = results[("wallet_address", "{}")]["data"]
    assert addr["address"].lower() == p.address.lower()
    bal = results[("wallet_balance", "{}")]["data"]
    assert [b["amountAtomic"] for b in bal["balances"]] == ["100000000"], bal
    paid = results[("paid_fetch", str({"url": seller + "/weather"}))]["data"]
    assert paid["outcome"] == "paid"
    assert count_transfers(world, p.address) == 1
    assert paid["payment"]["transaction"].lower() == transfer_logs(world, p.address)[0]["transactionHash"].lower()


def test_balance_and_address_cli(world, purse):
    p = purse(local_only(world))
    a = p.run("address")
    assert a.rc == EXIT_OK and a.stdout.strip() == p.address, str(a)
    b = p.run("balance", "--json")
    assert b.rc == EXIT_OK, str(b)
    d = b.data
    assert d["address"] == p.address and d["errors"] == [], str(b)
    assert [(x["network"], x["asset"].lower(), x["amountAtomic"], x["amount"]) for x in d["balances"]] == \
        [(world["network"], world["token"].lower(), "100000000", "100.00")], str(b)


def test_balance_reads_configured_token_even_if_a_builtin_token_fails(world, purse):
    """With the default allowAssets (built-in Base Sepolia USDC + the configured local token), the
    built-in one has no contract on this chain; the configured token must still be read."""
    p = purse()
    b = p.run("balance", "--json")
    print("\n", b)
    d = b.data
    assert any(x["asset"].lower() == world["token"].lower() and x["amountAtomic"] == "100000000"
               for x in d["balances"]), str(b)
    assert d["errors"], "the dead built-in token should be reported as an error entry"


def test_connect_failure_is_an_error_not_a_refusal(world, purse):
    p = purse(local_only(world))
    r = p.fetch("http://127.0.0.1:1/unreachable")
    print("\n", r)
    assert r.data["paid"] is False and r.data["error"]["code"].startswith("http."), str(r)
    assert r.rc == EXIT_ERROR, "exit 3 means a payment refused by policy/budget/approval; this is a network error"


@pytest.mark.parametrize("answer,code", [("accept", None), ("decline", "approval.declined"),
                                         ("cancel", "approval.declined"), (None, "approval.required")])
def test_confirm_above_asks_the_human_through_elicitation(world, purse, answer, code):
    p = purse(local_only(world, confirmAbove="0.005"))
    url = world["sellerUrl"] + "/weather"

    async def go():
        # answer None: the client declares no elicitation capability at all.
        async with PurseMCP(p.serve_command(), env=p.env(), elicit=answer, elicit_content={"approve": True},
                            read_timeout=60) as s:
            return await s.call("paid_fetch", {"url": url}), s.elicitations

    res, asked = asyncio.run(asyncio.wait_for(go(), 90))
    print(f"\n{answer}: asked {len(asked)}x: {asked[0]['message'][:300] if asked else '-'}\n  → {res['text'][:300]}")
    if answer is None:
        assert asked == []
    else:
        assert len(asked) == 1 and "0.01" in asked[0]["message"] and "127.0.0.1" in asked[0]["message"], asked
    if code is None:
        assert not res["isError"] and tool_json(res)["outcome"] == "paid", res
        assert count_transfers(world, p.address) == 1
    elif code == "approval.required":
        # No elicitation: the terminal style (not an error; the result says what to run).
        d = tool_json(res)
        assert not res["isError"] and d["outcome"] == "approval_required" and d["error"]["code"] == code, res
        assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000
    else:
        assert res["isError"] and tool_json(res)["error"]["code"] == code, res
        assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000
        assert p.payments() == [] or all(r["status"] == "failed" for r in p.payments())


def test_approval_with_approve_false_is_declined(world, purse):
    p = purse(local_only(world, confirmAbove="0.005"))

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), elicit="accept", elicit_content={"approve": False},
                            read_timeout=60) as s:
            return await s.call("paid_fetch", {"url": world["sellerUrl"] + "/weather"})

    res = asyncio.run(asyncio.wait_for(go(), 90))
    assert res["isError"] and tool_json(res)["error"]["code"] == "approval.declined", res
    assert count_transfers(world, p.address) == 0
