"""Purse as the paying gateway to x402-priced MCP servers (issue 14), end to end: `purse serve`
driven by the official `mcp` 2.3.0 client, in front of the offline world's paid upstream MCP
servers (examples/local-world/upstream_mcp.py: the official x402 SDK's MCP payment wrapper for the
`spec` and `text` conventions, a hand-written Cloudflare `agents` one), settling for real on the
local chain through the SDK's facilitator.

Shows, over stdio and over Streamable HTTP:
- `NAME__get_weather` priced 0.01 pays once on chain, the upstream's result comes back with
  `_meta["purse/payment"].transaction` mined; a free tool costs nothing; a tool priced over the
  cap is refused with nothing moved; spend-log shows host `mcp:NAME`;
- the text-only and the Cloudflare (`_meta["x402/error"]`, base64 payment) conventions are paid;
- eight parallel paid calls under a budget for five: exactly five paid;
- killing an upstream mid-call: a clear error, no double payment, Purse's own tools work
  throughout, the upstream is restarted and `notifications/tools/list_changed` follows each change;
- every hostile mode: a clear error, at most one signature, nothing lost (the ledger agrees with
  the chain after `purse reconcile`), Purse's own tools keep working;
- `paid_tool_call` / `tool_quote` for an unconfigured server under its URL's host policy;
  `purse upstreams --json`; a stdio child gets only its declared environment plus PATH and HOME.

Assertions are on chain (`count_transfers`, `balance_of`, receipts), on the upstream's own counters
(`settlements`, `paymentsReceived`, per-tool calls) and on the ledger.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import (
    EXIT_ERROR,
    EXIT_OK,
    RawServe,
    base_config,
    row_host,
    row_status,
    row_tx,
    tool_call,
    wait_until,
)
from worldlib import balance_of, count_transfers, receipt

# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401

PRICE = 10_000              # get_weather, atomic units (0.01 USDC)
LIST_TIMEOUT = float(os.environ.get("PURSE_UPSTREAM_TIMEOUT", "60"))
BOTH = ["stdio", "http"]


# ---- helpers -----------------------------------------------------------------------------------

def entry(h) -> dict:
    """The config entry of an upstream handle."""
    if h.transport == "stdio":
        return {"command": h.command, "args": h.args, "env": h.env}
    return {"url": h.url}


def gateway_config(world, upstreams: dict, *, http: dict | None = None, **policy) -> dict:
    cfg = base_config(world, **policy)
    cfg["upstreams"] = {name: entry(h) for name, h in upstreams.items()}
    cfg["http"] = {"timeoutMs": 5000, **(http or {})}
    return cfg


def run(coro, timeout: float = 240):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def serve(p, **kw) -> PurseMCP:
    return PurseMCP(p.serve_command(), p.env(), read_timeout=120, **kw)


async def wait_tools(s: PurseMCP, prefix: str, timeout: float = LIST_TIMEOUT) -> list[dict]:
    """The upstream's tools once Purse lists them (connecting runs in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        tools = [t for t in await s.tools() if t["name"].startswith(prefix)]
        if tools:
            return tools
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {prefix}* tools after {timeout} s")
        await asyncio.sleep(0.1)


def error_of(res: dict) -> dict:
    """{code, message} of an error result Purse made (its JSON is the second text block)."""
    assert res["isError"], res
    for block in res["content"]:
        try:
            doc = json.loads(block.get("text", ""))
        except ValueError:
            continue
        if isinstance(doc, dict) and "error" in doc:
            return doc["error"]
    raise AssertionError(f"no Purse error JSON in {res}")


def paid_meta(res: dict) -> dict | None:
    return (res.get("meta") or {}).get("purse/payment")


def rows(p) -> list[dict]:
    return p.payments()


def reconcile(p) -> None:
    r = p.reconcile(timeout=120)
    assert r.rc == EXIT_OK, str(r)


# mode -> {code, calls, rows, transfers, settled_rows}: printed by test_hostile_upstreams_summary.
HOSTILE_RESULTS: dict[str, dict] = {}


def note(mode: str, code: str | None, calls: int, p, world) -> None:
    """Records one hostile mode's outcome: the error code, how many calls were made, how many ledger
    rows (signatures) they left, the payer's on-chain transfers, and the rows settled in the ledger."""
    rs = rows(p)
    HOSTILE_RESULTS[mode] = {"code": code, "calls": calls, "rows": len(rs), "transfers": count_transfers(world, sender=p.address),
                             "settled": sum(1 for r in rs if row_status(r) == "settled")}


async def reached(up, tool: str, timeout: float = 30) -> None:
    """Waits (bounded) until the upstream has received a call of `tool`."""
    deadline = time.monotonic() + timeout
    while up.stats().get("tools", {}).get(tool, {}).get("calls", 0) < 1:
        assert time.monotonic() < deadline, f"no {tool} call reached the upstream in {timeout} s"
        await asyncio.sleep(0.05)


async def own_tools_work(s: PurseMCP) -> None:
    """Purse's own tools answer (they never wait for an upstream)."""
    t = time.monotonic()
    addr = await s.call("wallet_address", {})
    budget = await s.call("budget_status", {})
    assert not addr["isError"] and not budget["isError"], (addr, budget)
    assert time.monotonic() - t < 10


# ---- the main path, over both transports -------------------------------------------------------

@pytest.mark.parametrize("transport", BOTH)
def test_paid_free_over_cap_and_eight_parallel_calls(transport, world, purse, upstream):
    """One paid call, a free one, one over the cap; then, with the session budget left for five
    (0.06 - 0.01), eight parallel paid calls: exactly five paid, three refused, nothing else moved."""
    up = upstream(transport, "spec")
    p = purse(gateway_config(world, {"weather": up}, sessionBudget="0.06"), fund=1_000_000)
    seller0 = balance_of(world, world["seller"])

    async def go():
        async with serve(p) as s:
            tools = {t["name"]: t for t in await wait_tools(s, "weather__")}
            assert set(tools) == {"weather__get_weather", "weather__ping", "weather__expensive_tool", "weather__echo_big",
                                  "weather__stats"}
            gw = tools["weather__get_weather"]
            # Schemas and annotations pass through; the description names the upstream.
            assert gw["inputSchema"]["required"] == ["city"] and gw["inputSchema"]["additionalProperties"] is False
            assert gw["outputSchema"]["required"] == ["city", "temperature", "units", "conditions"]
            assert gw["annotations"]["readOnlyHint"] is True and gw["annotations"]["title"] == "Local weather ($0.01)"
            assert gw["description"].startswith("[weather] ") and gw["title"] == "Weather"

            before = p.balance()
            paid = await s.call("weather__get_weather", {"city": "Paris"})
            assert not paid["isError"], paid
            assert paid["structuredContent"]["city"] == "Paris" and paid["structuredContent"]["paid"] is True
            meta = paid_meta(paid)
            assert meta["status"] == "settled" and meta["amount"] == "0.01" and meta["symbol"] == "USDC"
            assert meta["network"] == world["network"] and meta["payTo"].lower() == world["seller"].lower()
            mined = receipt(world, meta["transaction"])
            assert mined and int(mined["status"], 16) == 1
            assert p.balance() == before - PRICE

            free = await s.call("weather__ping", {"message": "hi"})
            assert not free["isError"] and free["structuredContent"] == {"ok": True, "pong": "hi"} and paid_meta(free) is None

            over = await s.call("weather__expensive_tool", {"query": "q"})
            err = error_of(over)
            assert err["code"] == "policy.no_acceptable_option" and "exceeds the per-request cap" in err["message"]
            assert paid_meta(over) is None
            await own_tools_work(s)
            single = meta["transaction"]
            return single, await asyncio.gather(*[s.call("weather__get_weather", {"city": f"c{i}"}) for i in range(8)])

    single, parallel = run(go())
    paid = [r for r in parallel if not r["isError"]]
    refused = [r for r in parallel if r["isError"]]
    assert len(paid) == 5 and len(refused) == 3, [r["text"][:200] for r in parallel]
    assert all(error_of(r)["code"] == "budget.session_exceeded" and paid_meta(r) is None for r in refused)
    assert all(paid_meta(r)["status"] == "settled" for r in paid)
    assert p.balance() == 1_000_000 - 6 * PRICE
    assert balance_of(world, world["seller"]) - seller0 >= 6 * PRICE
    assert count_transfers(world, sender=p.address) == 6
    stats = up.stats()
    assert stats["settlements"] == 6 and stats["paymentsReceived"] == 6
    assert stats["tools"]["expensive_tool"]["runs"] == 0
    by_tx = {row_tx(r): r for r in rows(p)}
    assert len(by_tx) == 6 and all(row_host(r) == "mcp:weather" and row_status(r) == "settled" for r in by_tx.values())
    assert set(by_tx) == {t.lower() for t in stats["transactions"]} and single.lower() in by_tx
    table = p.spend_log("table")
    assert table.rc == 0 and "mcp:weather" in table.stdout


CONVENTIONS = {"t": ("text", "stdio"), "c": ("cloudflare", "stdio"), "ch": ("cloudflare", "http")}


def test_other_conventions_are_paid_once(world, purse, upstream):
    """The text-only and the Cloudflare conventions (stdio, and Cloudflare over Streamable HTTP),
    three upstreams behind one Purse: each paid once, in the shape it wants."""
    ups = {name: upstream(transport, convention) for name, (convention, transport) in CONVENTIONS.items()}
    p = purse(gateway_config(world, ups), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            for name, (convention, _) in CONVENTIONS.items():
                tools = {t["name"]: t for t in await wait_tools(s, f"{name}__")}
                # The price declared at list time is in the description.
                expected = {"text": "Costs 0.01 USDC per call", "cloudflare": "Costs 0.01 USD per call"}[convention]
                assert expected in tools[f"{name}__get_weather"]["description"], tools[f"{name}__get_weather"]["description"]
                res = await s.call(f"{name}__get_weather", {"city": "Oslo"})
                assert not res["isError"], res
                assert paid_meta(res)["status"] == "settled"
                assert int(receipt(world, paid_meta(res)["transaction"])["status"], 16) == 1

    run(go())
    for name, up in ups.items():
        stats = up.stats()
        # One payment, in the shape this convention wants (an object, or base64 for Cloudflare):
        # a wrong shape would have been counted as refused.
        assert stats["settlements"] == 1 and stats["paymentsReceived"] == 1 and stats["refused"] == 0, (name, stats)
    assert count_transfers(world, sender=p.address) == 3
    assert p.balance() == 1_000_000 - 3 * PRICE


def test_approvals_for_an_upstream_tool(world, purse, upstream):
    """Above confirmAbove an upstream tool's payment is approved as paid_fetch's is: on the
    stateless revision by an input-required round trip; for a client that cannot ask its human,
    by `purse approve` and a repeat with approval_id, which is Purse's and never reaches the
    upstream (get_weather's schema allows no other argument)."""
    up = upstream("stdio", "spec")
    p = purse(gateway_config(world, {"w": up}, confirmAbove="0.005"), fund=1_000_000)

    async def go():
        async with serve(p, mode="2026-07-28", elicit="accept", elicit_content={"approve": True}) as s:
            await wait_tools(s, "w__")
            res = await s.call("w__get_weather", {"city": "Riga"})
            assert not res["isError"] and paid_meta(res)["status"] == "settled", res
            assert len(s.elicitations) == 1 and "mcp:w" in s.elicitations[0]["message"]
        async with serve(p) as s:  # a handshake client without elicitation: the terminal style
            await wait_tools(s, "w__")
            first = await s.call("w__get_weather", {"city": "Riga"})
            doc = json.loads(first["content"][1]["text"])
            assert first["isError"] and doc["outcome"] == "approval_required" and paid_meta(first) is None, doc
            ticket = doc["approval"]
            assert ticket["command"] == f"purse approve {ticket['id']}" and ticket["id"] in first["content"][0]["text"]
            approved = p.run("approve", ticket["id"], "--yes")
            assert approved.rc == EXIT_OK, str(approved)
            res = await s.call("w__get_weather", {"city": "Riga", "approval_id": ticket["id"]})
            assert not res["isError"] and res["structuredContent"]["city"] == "Riga", res
            assert paid_meta(res)["status"] == "settled"

    run(go())
    assert count_transfers(world, sender=p.address) == 2 and p.balance() == 1_000_000 - 2 * PRICE
    # The stats are the second child's: the approved payment, in a shape it accepted.
    assert up.stats()["paymentsReceived"] == 1 and up.stats()["refused"] == 0
    assert sorted(row_status(r) for r in rows(p) if row_status(r) == "settled") == ["settled"] * 2


# ---- dying upstreams ---------------------------------------------------------------------------

def test_killing_an_upstream_mid_call(world, purse, upstream, purse_bin):
    """A call in flight when the child is killed fails clearly (nothing signed); Purse's own tools
    answer meanwhile; the tools are withdrawn and listed again once Purse restarts the child, with
    `notifications/tools/list_changed` each time."""
    up = upstream("stdio", "spec", "never-answers")
    p = purse(gateway_config(world, {"w": up}, http={"timeoutMs": 60000}), fund=1_000_000)
    srv = RawServe(purse_bin, p.env(), p.config_path, p.db_path)
    try:
        srv.initialize()

        def changes() -> int:
            return sum(1 for n in srv.notifications if n.get("method") == "notifications/tools/list_changed")

        def listed(msg_id: int) -> list[str]:
            srv.send({"jsonrpc": "2.0", "id": msg_id, "method": "tools/list"})
            return [t["name"] for t in srv.wait_for(msg_id)["result"]["tools"]]

        srv.pump(lambda: changes() >= 1, timeout=LIST_TIMEOUT)
        assert "w__get_weather" in listed(1)
        first_pid = up.stats()["pid"]
        srv.send(tool_call(2, "w__get_weather", {"city": "Rome"}))
        wait_until(lambda: up.stats().get("tools", {}).get("get_weather", {}).get("calls") == 1, 30, what="the call at the upstream")
        # Purse's own tools answer while the upstream call hangs.
        srv.send(tool_call(3, "wallet_address", {}))
        assert not srv.wait_for(3, timeout=10)["result"].get("isError")
        os.kill(first_pid, signal.SIGKILL)
        reply = srv.wait_for(2, timeout=30)
        is_error, data = purse_e2e.tool_result_json(reply)
        assert is_error and data["error"]["code"] == "upstream.died", data
        assert "killed by signal 9" in data["error"]["message"]
        srv.pump(lambda: changes() >= 2, timeout=30)
        assert not any(n.startswith("w__") for n in listed(4))
        srv.send(tool_call(5, "w__ping", {}))
        is_error, data = purse_e2e.tool_result_json(srv.wait_for(5, timeout=10))
        assert is_error and data["error"]["code"] == "upstream.not_connected"
        srv.send(tool_call(6, "budget_status", {}))
        assert not srv.wait_for(6, timeout=10)["result"].get("isError")
        # Restarted after a backoff: listed again.
        srv.pump(lambda: changes() >= 3, timeout=LIST_TIMEOUT)
        assert "w__get_weather" in listed(7)
        assert up.stats()["pid"] != first_pid
        rc, _ = srv.finish()
        assert rc == 0
    finally:
        srv.kill()
    assert rows(p) == [] and count_transfers(world, sender=p.address) == 0
    note("killed mid-call (SIGKILL)", "upstream.died", 1, p, world)


@pytest.mark.parametrize("mode,settles", [("dies-after-settle", True), ("dies-before-settle", False)])
def test_upstream_dying_during_the_paid_call(mode, settles, world, purse, upstream):
    """The payment left, then the child died: outcome unknown (never failed, never re-signed);
    the resends carry the same bytes and find no upstream; reconcile asks the chain."""
    up = upstream("stdio", "spec", mode)
    p = purse(gateway_config(world, {"w": up}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "w__")
            res = await s.call("w__get_weather", {"city": "Lima"})
            err = error_of(res)
            assert err["code"] == "payment.unknown" and "exited with" in err["message"], err
            assert paid_meta(res)["status"] == "unknown"
            await own_tools_work(s)

    run(go())
    (row,) = rows(p)
    assert row_status(row) == "unknown"
    assert count_transfers(world, sender=p.address) == (1 if settles else 0)
    assert up.stats()["settlements"] == (1 if settles else 0)
    reconcile(p)
    (row,) = rows(p)
    if settles:
        assert row_status(row) == "settled" and row_tx(row) == up.stats()["transactions"][0].lower()
    else:
        assert row_status(row) in ("unknown", "failed")
    assert p.balance() == 1_000_000 - (PRICE if settles else 0)
    note(mode, "payment.unknown", 1, p, world)


# ---- hostile upstreams -------------------------------------------------------------------------

HOSTILE_OFFERS = ["other-network", "other-asset", "huge-amount"]


def test_hostile_offers_are_refused_before_signing(world, purse, upstream):
    """One Purse in front of three upstreams, one per hostile offer (their children start side by
    side): each call is refused before anything is signed."""
    ups = {f"h{i}": upstream("stdio", "spec", mode) for i, mode in enumerate(HOSTILE_OFFERS)}
    p = purse(gateway_config(world, ups), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            for name in ups:
                await wait_tools(s, f"{name}__")
            for name in ups:
                res = await s.call(f"{name}__get_weather", {"city": "Kyiv"})
                assert error_of(res)["code"] == "policy.no_acceptable_option", (name, res)
                assert paid_meta(res) is None
            await own_tools_work(s)

    run(go())
    assert all(up.stats()["paymentsReceived"] == 0 for up in ups.values())
    assert rows(p) == [] and count_transfers(world, sender=p.address) == 0
    for mode in HOSTILE_OFFERS:
        note(mode, "policy.no_acceptable_option", 1, p, world)


def test_hostile_loop_gets_one_signature(world, purse, upstream):
    """Payment-required again after paying (the upstream settled anyway): a refusal on its word,
    one signature; reconcile then finds the settlement on chain and counts it."""
    up = upstream("stdio", "spec", "loop")
    p = purse(gateway_config(world, {"w": up}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "w__")
            res = await s.call("w__get_weather", {"city": "Quito"})
            assert error_of(res)["code"] == "payment.failed" and paid_meta(res)["status"] == "failed"
            await own_tools_work(s)

    run(go())
    assert up.stats()["paymentsReceived"] == 1 and up.stats()["settlements"] == 1
    assert len(rows(p)) == 1 and count_transfers(world, sender=p.address) == 1
    reconcile(p)
    (row,) = rows(p)
    assert row_status(row) == "settled" and row_tx(row) == up.stats()["transactions"][0].lower()
    note("loop", "payment.failed", 1, p, world)


def test_hostile_big_result(world, purse, upstream):
    """A paid answer over the cap (20 MiB against http.maxBodyBytes 5 MiB) cannot be read: the
    payment is unknown, never resent, and reconcile finds it settled."""
    up = upstream("stdio", "spec", "big-result")
    # The upstream settles on chain, then writes 20 MiB: on a loaded machine that took longer than
    # the suite's 5 s call timeout, and a timed-out paid call is (rightly) resent, not over the cap.
    p = purse(gateway_config(world, {"w": up}, http={"timeoutMs": 60_000}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "w__")
            res = await s.call("w__get_weather", {"city": "Lagos"})
            err = error_of(res)
            assert err["code"] == "payment.unknown" and "over the size cap" in err["message"], err
            # The connection carries on.
            assert not (await s.call("w__ping", {}))["isError"]
            await own_tools_work(s)

    run(go())
    assert up.stats()["paymentsReceived"] == 1 and up.stats()["settlements"] == 1
    reconcile(p)
    (row,) = rows(p)
    assert row_status(row) == "settled" and count_transfers(world, sender=p.address) == 1
    note("big-result", "payment.unknown", 1, p, world)


def test_hostile_stderr_flood(world, purse, upstream):
    up = upstream("stdio", "spec", "stderr-flood", flood_mib=64)
    p = purse(gateway_config(world, {"w": up}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "w__")
            t = time.monotonic()
            res = await s.call("w__get_weather", {"city": "Baku"})
            assert not res["isError"] and paid_meta(res)["status"] == "settled"
            for _ in range(3):
                assert not (await s.call("w__ping", {}))["isError"]
            assert time.monotonic() - t < 30
            await own_tools_work(s)

    run(go())
    assert up.stats()["settlements"] == 1 and count_transfers(world, sender=p.address) == 1
    note("stderr-flood", None, 4, p, world)


def test_hostile_never_answers(world, purse, upstream):
    """A stdio and a Streamable HTTP upstream that never answer a call, behind one Purse: both
    calls time out (http.timeoutMs) together while Purse's own tools answer."""
    ups = {"ws": upstream("stdio", "spec", "never-answers"), "wh": upstream("http", "spec", "never-answers")}
    p = purse(gateway_config(world, ups, http={"timeoutMs": 3000}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            for name in ups:
                await wait_tools(s, f"{name}__")
            calls = [asyncio.create_task(s.call(f"{name}__get_weather", {"city": "Pune"})) for name in ups]
            for up in ups.values():
                await reached(up, "get_weather")
            await own_tools_work(s)  # while the upstream calls hang
            for res in await asyncio.gather(*calls):
                assert error_of(res)["code"] == "upstream.timeout", res

    run(go())
    assert rows(p) == [] and all(up.stats()["paymentsReceived"] == 0 for up in ups.values())
    for transport in BOTH:
        note(f"never-answers ({transport})", "upstream.timeout", 1, p, world)


def test_hostile_malformed_receipts(world, purse, upstream):
    """Five paid calls, each receipt garbage in another way (garbage base64, base64 of non-JSON,
    wrong types, a number, a list): content delivered, each payment unknown until reconcile
    finds it settled on chain."""
    up = upstream("stdio", "spec", "malformed-meta", malformed_kind="cycle")
    p = purse(gateway_config(world, {"w": up}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "w__")
            for i in range(5):
                res = await s.call("w__get_weather", {"city": f"m{i}"})
                assert not res["isError"] and res["structuredContent"]["city"] == f"m{i}", res
                assert paid_meta(res)["status"] == "unknown"

    run(go())
    assert up.stats()["settlements"] == 5 and count_transfers(world, sender=p.address) == 5
    assert sorted(row_status(r) for r in rows(p)) == ["unknown"] * 5
    reconcile(p)
    settled = rows(p)
    assert sorted(row_status(r) for r in settled) == ["settled"] * 5
    assert {row_tx(r) for r in settled} == {t.lower() for t in up.stats()["transactions"]}
    note("malformed-meta (5 kinds)", "(delivered; payment unknown)", 5, p, world)


def test_hostile_shadow_tool_is_not_listed(world, purse, upstream):
    up = upstream("stdio", "text", "shadow")
    p = purse(gateway_config(world, {"s": up}), fund=1_000_000)

    async def go():
        async with serve(p) as s:
            names = [t["name"] for t in await wait_tools(s, "s__")]
            assert "s__paid_fetch" not in names and "s__get_weather" in names
            res = await s.call("s__paid_fetch", {"url": "http://127.0.0.1:1/x"})
            assert error_of(res)["code"] == "upstream.unknown_tool"
            # Purse's own paid_fetch is Purse's.
            own = await s.call("paid_fetch", {"url": world["sellerUrl"] + "/health"})
            assert not own["isError"] and own["structuredContent"]["status"] == 200

    run(go())
    assert "paid_fetch" not in up.stats().get("tools", {})
    note("shadow", "upstream.unknown_tool", 1, p, world)


# ---- unconfigured servers, the CLI, the child's environment ------------------------------------

def test_paid_tool_call_and_tool_quote(world, purse, upstream):
    up = upstream("http", "spec")
    p = purse(gateway_config(world, {}), fund=1_000_000)
    denied = purse(gateway_config(world, {}, hosts={"deny": ["127.0.0.1"]}), name="denied", fund=1_000_000)

    async def go():
        async with serve(p) as s:
            q = await s.call("tool_quote", {"server_url": up.url, "tool": "get_weather", "arguments": {"city": "Bern"}})
            assert not q["isError"], q
            quote = q["structuredContent"]
            assert quote["wouldPay"] is True and quote["paymentRequired"] is True and quote["convention"] == "spec"
            assert quote["price"]["amount"] == "0.01" and quote["refusal"] is None
            assert p.balance() == 1_000_000
            res = await s.call("paid_tool_call", {"server_url": up.url, "tool": "get_weather", "arguments": {"city": "Bern"}})
            assert not res["isError"] and res["structuredContent"]["city"] == "Bern"
            assert paid_meta(res)["status"] == "settled"
            capped = await s.call("paid_tool_call", {"server_url": up.url, "tool": "get_weather", "arguments": {"city": "Bern"},
                                                     "max_price": "0.005"})
            assert error_of(capped)["code"] == "policy.no_acceptable_option"
        async with serve(denied) as s:
            res = await s.call("paid_tool_call", {"server_url": up.url, "tool": "get_weather", "arguments": {"city": "Bern"}})
            assert error_of(res)["code"] == "policy.host_denied"

    run(go())
    (row,) = rows(p)
    assert row_host(row) == "127.0.0.1" and row_status(row) == "settled"
    assert rows(denied) == [] and denied.balance() == 1_000_000
    assert up.stats()["settlements"] == 1


def test_purse_upstreams_cli(world, purse, upstream):
    text = upstream("stdio", "text", "shadow")
    cf = upstream("http", "cloudflare")
    cfg = gateway_config(world, {"text": text, "cf": cf})
    cfg["upstreams"]["broken"] = {"command": "/nonexistent/mcp-server"}
    p = purse(cfg)
    r = p.run("upstreams", "--json", timeout=120)
    assert r.rc == EXIT_ERROR, str(r)  # one upstream is down
    by = {u["name"]: u for u in r.data["upstreams"]}
    assert by["text"]["state"] == "ready" and by["text"]["transport"] == "stdio"
    assert by["cf"]["state"] == "ready" and by["cf"]["transport"] == "http" and by["cf"]["target"] == cf.url
    assert by["broken"]["state"] == "down" and "No such file" in by["broken"]["error"]
    tools = {t["name"]: t for t in by["text"]["tools"]}
    assert tools["text__get_weather"]["price"] == {"amount": "0.01", "symbol": "USDC", "network": world["network"]}
    assert tools["text__ping"]["price"] is None and tools["text__ping"]["paid"] is False
    assert by["text"]["refused"][0]["tool"] == "paid_fetch"
    cf_tools = {t["name"]: t for t in by["cf"]["tools"]}
    assert cf_tools["cf__get_weather"]["price"]["symbol"] == "USD" and cf_tools["cf__get_weather"]["paid"] is True
    table = p.run("upstreams", timeout=120)
    assert re.search(r"^  text__get_weather +costs 0\.01 USDC per call$", table.stdout, re.M), table.stdout
    assert "not listed: paid_fetch" in table.stdout


ENV_SERVER = textwrap.dedent("""
    import json, os, sys
    for line in sys.stdin:
        msg = json.loads(line)
        if "id" not in msg:
            continue
        m = msg.get("method")
        if m == "initialize":
            result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "env", "version": "1"}}
        elif m == "tools/list":
            result = {"tools": [{"name": "env", "inputSchema": {"type": "object"}}]}
        elif m == "tools/call":
            result = {"content": [{"type": "text", "text": json.dumps(dict(os.environ))}]}
        else:
            print(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32601, "message": m}}), flush=True)
            continue
        print(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}), flush=True)
""")


def test_a_stdio_child_gets_only_its_declared_environment(world, purse, tmp_path):
    script = tmp_path / "env_server.py"
    script.write_text(ENV_SERVER)
    cfg = base_config(world)
    cfg["upstreams"] = {"e": {"command": sys.executable, "args": [str(script)], "env": {"UPSTREAM_TOKEN": "t0k"}}}
    p = purse(cfg)

    async def go():
        async with serve(p) as s:
            await wait_tools(s, "e__")
            res = await s.call("e__env", {})
            return json.loads(res["content"][0]["text"])

    env = run(go())
    assert env["UPSTREAM_TOKEN"] == "t0k"
    assert env["PATH"] == p.env()["PATH"] and env["HOME"] == p.env()["HOME"]
    assert not any(k.startswith("PURSE_") for k in env), env
    assert p.key[2:].lower() not in json.dumps(env).lower()
    # Nothing but PATH, HOME, what was declared, and what the interpreter itself sets.
    assert set(env) - {"PATH", "HOME", "UPSTREAM_TOKEN", "LC_CTYPE"} == set(), env


def test_hostile_upstreams_summary():
    """Prints the hostile upstream modes and the one-line summary (runs last in this module)."""
    print("\n\nHOSTILE UPSTREAMS")
    print(f"{'mode':28} {'code':34} {'calls':>5} {'rows':>4} {'transfers':>9} {'settled':>7}")
    for mode, r in HOSTILE_RESULTS.items():
        print(f"{mode:28} {str(r['code']):34} {r['calls']:>5} {r['rows']:>4} {r['transfers']:>9} {r['settled']:>7}")
    at_most_one = all(r["rows"] <= r["calls"] for r in HOSTILE_RESULTS.values())
    agrees = all(r["transfers"] == r["settled"] for r in HOSTILE_RESULTS.values())
    print(f"HOSTILE UPSTREAMS: {len(HOSTILE_RESULTS)} modes tried; at most one signature per call: {'yes' if at_most_one else 'NO'}; "
          f"every on-chain transfer settled in the ledger: {'yes' if agrees else 'NO'}")
    assert at_most_one and agrees
