"""The paid upstream MCP servers of the offline world (examples/local-world/upstream_mcp.py) behave
as documented, seen through the official SDK clients: `x402.mcp.client_async.x402MCPClient` (the
oracle that pays) and plain `mcp` ClientSession calls (the raw payment-required shapes).

Each test spawns its own upstream(s) against the session's world; every payment is made by a fresh
wallet minted here, so the balance deltas are exact.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tempfile
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from x402 import x402Client
from x402.mcp.client_async import x402MCPClient
from x402.mechanisms.evm import EthAccountSigner
from x402.mechanisms.evm.exact import register_exact_evm_client
from x402.schemas import PaymentRequired

from conftest import authorization_state, balance_of, mint, receipt
from upstreams import X402SessionAdapter, open_session, result_dict, start_upstream

PRICE = 10000            # get_weather, atomic
EXPENSIVE = 5_000_000    # expensive_tool, atomic
FUND = 1_000_000         # each fresh payer: 1 USDC
CALL_TIMEOUT = 30.0


# HTTP upstreams used by this module, spawned together at module start (each is ~2-3 s of imports)
# and waited for where used. Key -> (convention, hostile).
HTTP_UPSTREAMS = {
    "spec": ("spec", None),
    "cloudflare": ("cloudflare", None),
    "loop": ("spec", "loop"),
    "big-result": ("spec", "big-result"),
    "dies-before-settle": ("spec", "dies-before-settle"),
    "shadow": ("text", "shadow"),
}


@pytest.fixture(scope="module", autouse=True)
def http_ups(world):
    ups = {}
    try:
        for key, (conv, hostile) in HTTP_UPSTREAMS.items():
            ups[key] = start_upstream(world, "http", conv, hostile, wait=False)
        yield ups
    finally:
        for u in ups.values():
            u.stop()
    codes = {k: u.proc.returncode for k, u in ups.items()}
    assert codes == {**{k: 0 for k in HTTP_UPSTREAMS}, "dies-before-settle": 17}, codes


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 90))


def fresh_payer(world: dict):
    acct = Account.create()
    assert int(mint(world, acct.address, FUND)["status"], 16) == 1
    return acct


def payment_client(world: dict, acct, max_atomic: str = "1000000") -> x402Client:
    """The SDK's client: local network only, local token only, at most 1 USDC per payment."""
    c = x402Client()
    register_exact_evm_client(c, EthAccountSigner(acct), networks=[world["network"]])
    c.set_spend_controls({"allowed_assets": [{"network": world["network"], "asset": world["token"],
                                              "max_amount_per_payment": max_atomic}]})
    return c


def expected_accepts(world: dict, amount: int = PRICE) -> list[dict]:
    return [{"scheme": "exact", "network": world["network"], "asset": world["token"], "amount": str(amount),
             "payTo": world["seller"], "maxTimeoutSeconds": 300, "extra": {"name": "USDC", "version": "2"}}]


def tools_by_name(listing) -> dict[str, dict]:
    return {t.name: t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in listing.tools}


class Balances:
    def __init__(self, world: dict, payer: str):
        self.world, self.payer = world, payer
        self.p0, self.s0 = balance_of(world, payer), balance_of(world, world["seller"])

    def delta(self) -> tuple[int, int]:
        return (balance_of(self.world, self.payer) - self.p0,
                balance_of(self.world, self.world["seller"]) - self.s0)


def assert_mined(world: dict, tx: str) -> None:
    r = receipt(world, tx)
    assert r is not None and int(r["status"], 16) == 1, f"receipt of {tx}: {r}"


async def pay_weather(world: dict, session, acct) -> tuple:
    """The SDK client pays get_weather once; returns (MCPToolCallResult, adapter)."""
    adapter = X402SessionAdapter(session)
    client = x402MCPClient(adapter, payment_client(world, acct))
    res = await client.call_tool("get_weather", {"city": "Paris"}, read_timeout_seconds=CALL_TIMEOUT)
    return res, adapter


# ---- spec convention ------------------------------------------------------------------------

def check_spec_flow(world: dict, up) -> None:
    acct = fresh_payer(world)
    transport = up.transport

    async def go():
        async with open_session(up) as s:
            tools = tools_by_name(await s.list_tools())
            assert set(tools) == {"get_weather", "ping", "expensive_tool", "echo_big", "stats"}
            w = tools["get_weather"]
            assert w["outputSchema"]["required"] == ["city", "temperature", "units", "conditions"]
            assert w["annotations"] == {"title": "Local weather ($0.01)", "readOnlyHint": True,
                                        "destructiveHint": False, "idempotentHint": True,
                                        "openWorldHint": False}
            assert "_meta" not in w, "spec: no list-time price"

            # raw payment-required: isError + structuredContent + the same JSON as text
            raw = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
            assert raw["isError"] is True and "_meta" not in raw
            pr = raw["structuredContent"]
            assert pr["x402Version"] == 2 and pr["error"] == "Payment required to access this tool"
            assert pr["resource"] == {"url": "mcp://tool/get_weather", "description": "get_weather (x402, $0.01)",
                                      "mimeType": "application/json"}
            assert pr["accepts"] == expected_accepts(world)
            assert json.loads(raw["content"][0]["text"]) == pr and len(raw["content"]) == 1

            # free tools
            ping = result_dict(await s.call_tool("ping", {"message": "hi"}))
            assert ping["isError"] is False and ping["structuredContent"] == {"ok": True, "pong": "hi"}
            echo = result_dict(await s.call_tool("echo_big", {"bytes": 100_000}))
            assert echo["isError"] is False and len(echo["content"][0]["text"].encode()) == 100_000

            # expensive_tool demands 5.00; the SDK client (cap 1 USDC) refuses to pay it
            exp = result_dict(await s.call_tool("expensive_tool", {"query": "q"}))
            assert exp["structuredContent"]["accepts"] == expected_accepts(world, EXPENSIVE)
            with pytest.raises(Exception, match="(?i)spend|amount|exceed|match"):
                await x402MCPClient(X402SessionAdapter(s), payment_client(world, acct)).call_tool(
                    "expensive_tool", {"query": "q"})

            # paid once by the SDK client: object in params._meta["x402/payment"]
            bal = Balances(world, acct.address)
            res, adapter = await pay_weather(world, s, acct)
            assert res.payment_made and not res.is_error
            assert json.loads(res.content[0]["text"])["city"] == "Paris"
            sent = adapter.sent_meta[-1]["x402/payment"]
            assert isinstance(sent, dict) and sent["accepted"] == expected_accepts(world)[0]
            settle = res.payment_response
            assert settle.success and settle.payer == acct.address and settle.network == world["network"]
            assert bal.delta() == (-PRICE, PRICE)
            assert_mined(world, settle.transaction)

            # The spec form is an object: a base64 string (the Cloudflare form) is not a payment.
            pr_obj = PaymentRequired.model_validate(pr)
            fresh = await payment_client(world, acct).create_payment_payload(pr_obj)
            b64 = base64.b64encode(fresh.model_dump_json(by_alias=True, exclude_none=True).encode()).decode()
            again = result_dict(await s.call_tool("get_weather", {"city": "Paris"}, meta={"x402/payment": b64}))
            assert again["isError"] is True and again["structuredContent"]["accepts"] == expected_accepts(world)
            assert bal.delta() == (-PRICE, PRICE)

            st = result_dict(await s.call_tool("stats", {}))["structuredContent"]
            return st, settle.transaction

    st, tx = run(go())
    assert st["transport"] == transport and st["convention"] == "spec"
    assert st["settlements"] == 1 and st["transactions"] == [tx] and st["payers"] == [acct.address]
    assert st["tools"]["get_weather"] == {"calls": 4, "runs": 1}     # raw + SDK probe + paid + base64
    assert st["tools"]["expensive_tool"] == {"calls": 2, "runs": 0}
    assert st["tools"]["ping"] == {"calls": 1, "runs": 1}
    assert st["paymentsReceived"] == 2 and st["refused"] == 1 and st["verified"] == 1
    assert st["paymentRequired"] == 5
    assert up.stats()["settlements"] == 1, "the counters file says the same"


def test_spec_stdio_paid_once(world):
    with start_upstream(world, "stdio", "spec") as up:
        check_spec_flow(world, up)


def test_spec_http_paid_once_and_wire(world, http_ups):
    """Same over Streamable HTTP; then the raw wire as the SDK serves it: initialize answers as SSE
    with an Mcp-Session-Id; a request without the session id is refused; DELETE ends the session."""
    up = http_ups["spec"].wait_ready()
    check_spec_flow(world, up)
    hdrs = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "wire-test", "version": "0"}}}
    with httpx.Client(timeout=10) as c:
        r = c.post(up.url, json=init, headers=hdrs)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        sid = r.headers["mcp-session-id"]
        data = [ln[5:].strip() for ln in r.text.splitlines() if ln.startswith("data:")]
        assert json.loads(data[-1])["result"]["serverInfo"]["name"] == "purse-test-upstream"
        h2 = {**hdrs, "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18"}
        assert c.post(up.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                      headers=h2).status_code == 202
        call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": {"name": "get_weather", "arguments": {"city": "Oslo"}}}
        r = c.post(up.url, json=call, headers=h2)
        msg = json.loads([ln[5:] for ln in r.text.splitlines() if ln.startswith("data:")][-1])
        assert msg["result"]["isError"] is True and msg["result"]["structuredContent"]["accepts"][0]["amount"] == "10000"
        assert c.post(up.url, json=call, headers=hdrs).status_code in (400, 404)   # no session id
        assert c.delete(up.url, headers=h2).status_code in (200, 204)


# ---- text convention -------------------------------------------------------------------------

def test_text_convention_stdio(world, upstream):
    acct = fresh_payer(world)
    up = upstream("stdio", "text")

    async def go():
        async with open_session(up) as s:
            tools = tools_by_name(await s.list_tools())
            x = tools["get_weather"]["_meta"]["x402"]
            acc = expected_accepts(world)
            assert x == {"paymentRequired": True, **acc[0], "accepts": acc}
            assert tools["expensive_tool"]["_meta"]["x402"]["amount"] == str(EXPENSIVE)
            assert "_meta" not in tools["ping"]

            raw = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
            assert raw["isError"] is True and "structuredContent" not in raw
            pr = json.loads(raw["content"][0]["text"])
            assert pr["x402Version"] == 2 and pr["accepts"] == acc
            assert raw["content"][1]["text"].startswith("Payment required")

            bal = Balances(world, acct.address)
            res, _ = await pay_weather(world, s, acct)   # the SDK falls back to content[0].text
            assert res.payment_made and res.payment_response.success
            assert bal.delta() == (-PRICE, PRICE)
            assert_mined(world, res.payment_response.transaction)

    run(go())
    assert up.stats()["settlements"] == 1


# ---- cloudflare convention ---------------------------------------------------------------------

def test_cloudflare_convention_http_demands_base64(world, http_ups):
    acct = fresh_payer(world)
    up = http_ups["cloudflare"].wait_ready()

    async def go():
        async with open_session(up) as s:
            tools = tools_by_name(await s.list_tools())
            assert tools["get_weather"]["_meta"] == {"agents-x402/paymentRequired": True,
                                                     "agents-x402/priceUSD": 0.01}
            assert tools["expensive_tool"]["_meta"]["agents-x402/priceUSD"] == 5.0

            raw = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
            assert raw["isError"] is True and "structuredContent" not in raw
            err = raw["_meta"]["x402/error"]
            assert err == json.loads(raw["content"][0]["text"])
            assert err["error"] == "PAYMENT_REQUIRED" and err["accepts"] == expected_accepts(world)
            assert err["resource"]["url"] == "x402://get_weather"

            # The SDK client finds the offer in the text, pays with an OBJECT: refused, nothing settles.
            bal = Balances(world, acct.address)
            res, adapter = await pay_weather(world, s, acct)
            assert res.payment_made and res.is_error and res.payment_response is None
            assert json.loads(res.content[0]["text"])["error"] == "PAYMENT_REQUIRED"
            payload = adapter.sent_meta[-1]["x402/payment"]
            assert isinstance(payload, dict)

            async def call_with(token):
                return result_dict(await s.call_tool("get_weather", {"city": "Paris"}, meta={"x402/payment": token}))

            # A JSON string (what the SDK's extract_payment_from_meta would accept) is not base64.
            r = await call_with(json.dumps(payload))
            assert r["_meta"]["x402/error"]["error"] == "INVALID_PAYMENT"
            r = await call_with("%%% not base64 %%%")
            assert r["_meta"]["x402/error"]["error"] == "INVALID_PAYMENT"
            assert bal.delta() == (0, 0)

            # The same payload as a base64 JSON string: verified, run, settled.
            token = base64.b64encode(json.dumps(payload).encode()).decode()
            r = await call_with(token)
            assert r["isError"] is False and r["structuredContent"]["city"] == "Paris"
            rc = r["_meta"]["x402/payment-response"]
            assert set(rc) == {"success", "transaction", "network", "payer"}
            assert rc["success"] is True and rc["payer"] == acct.address and rc["network"] == world["network"]
            assert bal.delta() == (-PRICE, PRICE)
            assert_mined(world, rc["transaction"])

            # A replay of the same token: the facilitator refuses, it is not charged twice.
            r = await call_with(token)
            assert r["isError"] is True and "nonce" in r["_meta"]["x402/error"]["error"]
            assert bal.delta() == (-PRICE, PRICE)
            return rc["transaction"]

    tx = run(go())
    st = up.stats()
    assert st["settlements"] == 1 and st["transactions"] == [tx]
    assert st["paymentsReceived"] == 5 and st["refused"] == 3 and st["verified"] == 1


# ---- hostile offers: never payable by a sane policy ------------------------------------------

HOSTILE_OFFERS = {
    "other-network": lambda w: {"network": "eip155:8453", "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                                "amount": "10000"},
    "other-asset": lambda w: {"network": w["network"], "asset": "0x00000000000000000000000000000000DeaDBeef",
                              "amount": "10000"},
    "huge-amount": lambda w: {"network": w["network"], "asset": w["token"], "amount": str(10**30)},
}


def test_hostile_offers_refused_by_sdk_client(world):
    acct = fresh_payer(world)
    ups = [start_upstream(world, "stdio", conv, mode)
           for mode, conv in (("other-network", "spec"), ("other-asset", "text"), ("huge-amount", "cloudflare"))]
    try:
        async def one(up):
            async with open_session(up) as s:
                raw = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
                text = json.loads(raw["content"][0]["text"])
                offer = text["accepts"][0]
                want = HOSTILE_OFFERS[up.hostile](world)
                assert {k: offer[k] for k in want} == want
                with pytest.raises(Exception):
                    await pay_weather(world, s, acct)
                # A gateway that sends a payment anyway: counted, refused, never verified.
                forced = result_dict(await s.call_tool("get_weather", {"city": "Paris"},
                                                       meta={"x402/payment": {"x402Version": 2, "bogus": True}}))
                assert forced["isError"] is True
                return up.stats()

        async def all3():
            return await asyncio.gather(*(one(u) for u in ups))

        bal = Balances(world, acct.address)
        for st in run(all3()):
            assert st["paymentsReceived"] == 1 and st["refused"] == 1
            assert st["verified"] == 0 and st["settlements"] == 0
            assert st["tools"]["get_weather"]["runs"] == 0
        assert bal.delta() == (0, 0)
    finally:
        for u in ups:
            u.stop()


# ---- hostile behaviour after/while paying ------------------------------------------------------

def test_hostile_loop_settles_then_asks_again(world, http_ups):
    acct = fresh_payer(world)
    up = http_ups["loop"].wait_ready()

    async def go():
        async with open_session(up) as s:
            bal = Balances(world, acct.address)
            res, _ = await pay_weather(world, s, acct)
            # Paid and settled, yet the answer is payment-required again, with no receipt.
            assert res.payment_made and res.is_error and res.payment_response is None
            assert json.loads(res.content[0]["text"])["accepts"] == expected_accepts(world)
            assert bal.delta() == (-PRICE, PRICE)
    run(go())
    st = up.stats()
    assert st["settlements"] == 1 and st["tools"]["get_weather"]["runs"] == 1
    assert_mined(world, st["transactions"][0])


def test_hostile_big_result(world, http_ups):
    acct = fresh_payer(world)
    up = http_ups["big-result"].wait_ready()

    async def go():
        # mcp 2.3.0's HTTP client refuses an SSE event over 1 MiB by default (the session survives).
        async with open_session(up) as s:
            with pytest.raises(Exception, match="exceeded the 1048576 byte limit"):
                await s.call_tool("echo_big", {"bytes": 2 << 20}, read_timeout_seconds=CALL_TIMEOUT)
            assert result_dict(await s.call_tool("ping", {}))["isError"] is False
        async with open_session(up, max_sse_event_size=None) as s:
            res, _ = await pay_weather(world, s, acct)
            assert not res.is_error and res.payment_response.success
            assert len(res.content[0]["text"]) == 20 * 1024 * 1024
    run(go())
    st = up.stats()
    assert st["settlements"] == 1 and st["tools"]["get_weather"]["runs"] == 1


def test_hostile_stderr_flood(world):
    with start_upstream(world, "stdio", "spec", "stderr-flood", flood_mib=6) as up, \
            tempfile.TemporaryDirectory() as d:
        log = Path(d) / "stderr.log"

        async def go():
            with open(log, "w") as errlog:
                async with open_session(up, errlog=errlog) as s:
                    sizes = []
                    for _ in range(3):
                        r = result_dict(await s.call_tool("ping", {}))
                        assert r["isError"] is False
                        sizes.append(os.path.getsize(log))
                    pr = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
                    assert pr["structuredContent"]["accepts"][0]["amount"] == "10000"
                    return sizes
        sizes = run(go())
        # each tools/call writes 1 MiB synchronously before answering, plus the background flood
        assert sizes[0] >= 1 << 20 and sizes[2] - sizes[0] >= 2 << 20, sizes


def test_hostile_never_answers(world):
    with start_upstream(world, "stdio", "spec", "never-answers") as up:
        async def go():
            async with open_session(up) as s:
                assert "get_weather" in tools_by_name(await s.list_tools())
                with pytest.raises(Exception, match="(?i)time"):
                    await s.call_tool("ping", {}, read_timeout_seconds=1.0)
                return up.stats()
        st = run(go())
        assert st["tools"]["ping"] == {"calls": 1, "runs": 0}
    assert not up.alive()


def test_hostile_dies_before_settle_http(world, http_ups):
    acct = fresh_payer(world)
    up = http_ups["dies-before-settle"].wait_ready()
    bal = Balances(world, acct.address)

    async def go():
        async with open_session(up) as s:
            adapter = X402SessionAdapter(s)
            client = x402MCPClient(adapter, payment_client(world, acct))
            with pytest.raises(Exception):
                await client.call_tool("get_weather", {"city": "Paris"}, read_timeout_seconds=15.0)
            return adapter.sent_meta[-1]["x402/payment"]["payload"]["authorization"]["nonce"]

    nonce = run(go())
    assert up.proc.wait(10) == 17
    st = up.stats()
    assert st["verified"] == 1 and st["tools"]["get_weather"]["runs"] == 1 and st["settlements"] == 0
    assert bal.delta() == (0, 0), "died before settling: nothing moved"
    assert authorization_state(world, acct.address, nonce) is False, "the authorization is still unused"


def test_hostile_dies_after_settle_stdio(world):
    acct = fresh_payer(world)
    with start_upstream(world, "stdio", "spec", "dies-after-settle") as up:
        bal = Balances(world, acct.address)

        async def go():
            async with open_session(up) as s:
                with pytest.raises(Exception):
                    await pay_weather(world, s, acct)
        run(go())
        st = up.stats()
        assert st["settlements"] == 1 and "died after settling" in st["lastError"]
        assert bal.delta() == (-PRICE, PRICE), "settled on chain although the caller got no answer"
        assert_mined(world, st["transactions"][0])
        assert not up.alive()


def test_hostile_malformed_receipt_meta(world):
    """Every paid call settles, but the receipt _meta is garbage; --malformed-kind cycle gives the
    n-th paid call the n-th kind: garbage-base64, b64-not-json, wrong-types, number, list."""
    acct = fresh_payer(world)
    kinds = [("garbage-base64", str), ("b64-not-json", str), ("wrong-types", dict), ("number", int), ("list", list)]
    with start_upstream(world, "stdio", "spec", "malformed-meta", malformed_kind="cycle") as up:
        async def go():
            async with open_session(up) as s:
                bal = Balances(world, acct.address)
                # 1st paid call, by the SDK client: it settles, and the SDK cannot read the receipt.
                res, _ = await pay_weather(world, s, acct)
                assert not res.is_error and res.payment_made and res.payment_response is None
                assert bal.delta() == (-PRICE, PRICE)
                # The next ones by hand, to see the raw _meta.
                for kind, typ in kinds[1:]:
                    raw0 = result_dict(await s.call_tool("get_weather", {"city": "Paris"}))
                    pr = PaymentRequired.model_validate(raw0["structuredContent"])
                    payload = await payment_client(world, acct).create_payment_payload(pr)
                    meta = {"x402/payment": payload.model_dump(by_alias=True, exclude_none=True)}
                    raw = result_dict(await s.call_tool("get_weather", {"city": "Paris"}, meta=meta))
                    got = raw["_meta"]["x402/payment-response"]
                    assert raw["isError"] is False and isinstance(got, typ), (kind, got)
                    if kind == "b64-not-json":
                        with pytest.raises(ValueError):
                            json.loads(base64.b64decode(got))
                    if kind == "wrong-types":
                        assert got == {"success": "yes", "transaction": 12345, "network": ["eip155:84532"],
                                       "payer": False}
                assert bal.delta() == (-PRICE * len(kinds), PRICE * len(kinds))
        run(go())
        st = up.stats()
        assert st["settlements"] == len(kinds) and len(set(st["transactions"])) == len(kinds)
        for tx in st["transactions"]:
            assert_mined(world, tx)


def test_hostile_shadow_lists_paid_fetch(world, http_ups):
    up = http_ups["shadow"].wait_ready()

    async def go():
        async with open_session(up) as s:
            tools = tools_by_name(await s.list_tools())
            assert "paid_fetch" in tools and "get_weather" in tools
            assert tools["get_weather"]["_meta"]["x402"]["paymentRequired"] is True   # text convention
            r = result_dict(await s.call_tool("paid_fetch", {"url": "http://example.invalid/"}))
            assert r["isError"] is False and "shadow" in r["content"][0]["text"]
    run(go())
    assert up.stats()["tools"]["paid_fetch"] == {"calls": 1, "runs": 1}
