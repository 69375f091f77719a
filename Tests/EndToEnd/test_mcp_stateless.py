"""`purse serve` under the official MCP Python client 2.3.0 speaking the stateless revision
2026-07-28 (no `initialize`: every request carries its `_meta` envelope), against the offline world.

Shows: the client forced to 2026-07-28 (`mode="2026-07-28"`: no probe, no fallback) lists the
tools (the issue's six, and `discover` since) with titles and icons and pays `/weather` once with a
receipt mined on chain; `mode="auto"`
probes `server/discover` and stays stateless; approval above confirmAbove by an input-required
result — accept pays once, decline pays nothing, an altered, replayed or misbound `requestState` is
refused with nothing signed; the revision's errors for a bad version; nothing but JSON-RPC on
stdout; and the cold start → first answer of both revisions (printed, not asserted).
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import time

import pytest

from conftest import balance_of, count_transfers, receipt
from mcp.shared.exceptions import MCPError
from mcp_driver import PurseMCP
from purse_e2e import (RawServe, base_env, is_jsonrpc, ledger_rows, new_key, result_json, wait_until, write_config)

REVISION = "2026-07-28"
TOOLS = {"paid_fetch", "quote", "wallet_balance", "wallet_address", "budget_status", "spend_log", "discover", "paid_tool_call",
         "tool_quote"}
ENVELOPE = {"io.modelcontextprotocol/protocolVersion": REVISION, "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "raw-stateless", "version": "1"}}


class Env:
    """A fresh funded wallet with its own config, database and environment."""

    def __init__(self, world, purse_bin, tmp_path, fund=10_000_000, **config):
        self.world, self.purse_bin = world, purse_bin
        self.key, self.address = new_key(world, fund)
        self.fund = fund
        self.config = write_config(tmp_path / "config.json", world, **config)
        self.db = tmp_path / "purse.db"
        self.env = base_env(tmp_path, self.key)

    @property
    def cmd(self) -> list[str]:
        return [str(self.purse_bin), "serve", "--config", str(self.config), "--db", str(self.db)]

    def mcp(self, mode: str = REVISION, **kw) -> PurseMCP:
        return PurseMCP(self.cmd, self.env, mode=mode, **kw)

    def url(self, path: str) -> str:
        return self.world["sellerUrl"] + path

    def transfers(self) -> int:
        return count_transfers(self.world, self.address)

    def rows(self) -> list[str]:
        return [r["status"] for r in ledger_rows(self.db)]


def code_of(res: dict) -> str | None:
    return ((result_json(res) or {}).get("error") or {}).get("code")


def run(coro, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


# ---- the client forced to 2026-07-28 -----------------------------------------------------------

def test_forced_stateless_lists_the_tools_and_pays_weather_once(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path)

    async def go():
        async with e.mcp(elicit="decline") as s:
            tools = await s.tools()
            paid = await s.call("paid_fetch", {"url": e.url("/weather")})
            budget = json.loads(await s.read("purse://budget"))
            return s.negotiated_version, tools, paid, budget

    version, tools, paid, budget = run(go())
    by_name = {t["name"]: t for t in tools}
    d = paid["structuredContent"]
    print(f"\nforced {version}: tools {sorted(by_name)}; paid_fetch /weather → {d['outcome']} status {d['status']} "
          f"tx {d['payment']['transaction']}; transfers {e.transfers()}; budget {budget['session']}")
    assert version == REVISION
    assert set(by_name) == TOOLS
    for name, tool in by_name.items():
        assert tool.get("title"), name
        icon = (tool.get("icons") or [{}])[0]
        assert icon.get("src", "").startswith("data:image/svg+xml;base64,") and icon.get("mimeType") == "image/svg+xml", name
        assert base64.b64decode(icon["src"].split(",", 1)[1]).startswith(b"<svg"), name
        # paid_tool_call has no output schema: it returns the other server's own result.
        assert tool["inputSchema"]["type"] == "object", name
        assert (tool.get("outputSchema", {}).get("type") == "object") == (name != "paid_tool_call"), name
    assert "approval_id" in by_name["paid_fetch"]["inputSchema"]["properties"]
    assert "approval_id" in by_name["paid_tool_call"]["inputSchema"]["properties"]
    assert by_name["quote"]["annotations"]["readOnlyHint"] is True
    assert not paid["isError"] and d["outcome"] == "paid" and d["paid"] is True and d["status"] == 200
    rc = receipt(world, d["payment"]["transaction"])
    assert rc is not None and int(rc["status"], 16) == 1, rc
    assert e.transfers() == 1
    assert balance_of(world, e.address) == e.fund - 10_000
    assert e.rows() == ["settled"]


def test_auto_mode_probes_discover_and_stays_stateless(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, fund=0)

    async def go():
        async with e.mcp(mode="auto") as s:
            return s.negotiated_version, s.discover_result.model_dump(mode="json", by_alias=True, exclude_none=True), \
                s.session.server_info, await s.tool_names()

    version, discover, info, names = run(go())
    print(f"\nauto: negotiated {version}; discover {json.dumps(discover)[:400]}; serverInfo {info}")
    assert version == REVISION
    assert discover["supportedVersions"] == [REVISION] and discover["resultType"] == "complete"
    assert "tools" in discover["capabilities"] and discover["cacheScope"] == "public" and discover["ttlMs"] > 0
    assert info is not None and info.name == "purse"
    assert set(names) == TOOLS


# ---- approval by an input-required round trip -----------------------------------------------

@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_input_required_approval(answer, world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})

    async def go():
        async with e.mcp(elicit=answer, elicit_content={"approve": True}) as s:
            return await s.call("paid_fetch", {"url": e.url("/weather")}), s.elicitations

    r, asked = run(go())
    data = result_json(r)
    print(f"\ninput-required, {answer}: outcome {data['outcome']} code {code_of(r)}; asked {len(asked)}x; "
          f"transfers {e.transfers()}; ledger {e.rows()}")
    assert len(asked) == 1
    message = asked[0]["message"]
    print("  the human saw:", message.replace("\n", " | "))
    for part in ("0.01 USDC", world["network"], "127.0.0.1", e.url("/weather"), "Payment flow: authorization", "Budget left"):
        assert part in message, part
    assert asked[0]["requestedSchema"]["properties"]["approve"]["type"] == "boolean"
    if answer == "accept":
        assert not r["isError"] and data["outcome"] == "paid"
        assert int(receipt(world, data["payment"]["transaction"])["status"], 16) == 1
        assert e.transfers() == 1 and balance_of(world, e.address) == e.fund - 10_000
        assert e.rows() == ["failed", "settled"], "round 1 reserves and releases; round 2 pays"
    else:
        assert r["isError"] and code_of(r) == "approval.declined" and data["paid"] is False
        assert e.transfers() == 0 and balance_of(world, e.address) == e.fund
        assert e.rows() == ["failed", "failed"]


def test_request_state_altered_replayed_or_rebound_is_refused(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})
    args = {"url": e.url("/weather")}
    accept = {"approve_payment": {"action": "accept", "content": {"approve": True}}}

    def altered(state: str) -> str:
        # The claims are readable: raise the approved amount tenfold, keep the signature.
        prefix, body, mac = state.split(".")
        claims = json.loads(base64.b64decode(body))
        claims["terms"]["amount"] = str(int(claims["terms"]["amount"]) * 10)
        return ".".join([prefix, base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode(), mac])

    async def refused(s, arguments, state) -> dict:
        try:
            await s.call_raw("paid_fetch", arguments, input_responses=accept, request_state=state)
        except MCPError as exc:
            return {"code": exc.error.code, "message": exc.error.message, "data": exc.error.data}
        raise AssertionError("the server accepted a bad requestState")

    async def go():
        async with e.mcp(elicit="accept") as s:
            first = await s.call_raw("paid_fetch", args)
            state = first["requestState"]
            out = {"first": first,
                   "altered": await refused(s, args, altered(state)),
                   "forged": await refused(s, args, state[:-4] + ("0000" if not state.endswith("0000") else "1111")),
                   "rebound": await refused(s, {"url": e.url("/weather?city=elsewhere")}, state)}
            out["transfers_before_genuine"] = e.transfers()
            out["genuine"] = await s.call_raw("paid_fetch", args, input_responses=accept, request_state=state)
            out["replayed"] = await refused(s, args, state)
            return out

    out = run(go())
    first = out["first"]
    print(f"\nround 1: resultType {first['resultType']}, inputRequests {list(first['inputRequests'])}, "
          f"state {first['requestState'][:40]}…")
    for k in ("altered", "forged", "rebound", "replayed"):
        print(f"  {k}: {out[k]}")
    print(f"  genuine: outcome {result_json(out['genuine'])['outcome']}; transfers {e.transfers()}")
    assert first["resultType"] == "input_required"
    ask = first["inputRequests"]["approve_payment"]
    assert ask["method"] == "elicitation/create" and ask["params"]["mode"] == "form"
    for k, code in (("altered", "approval.state_invalid"), ("forged", "approval.state_invalid"),
                    ("rebound", "approval.state_invalid"), ("replayed", "approval.state_reused")):
        assert out[k]["code"] == -32602 and out[k]["data"]["code"] == code, (k, out[k])
    assert out["transfers_before_genuine"] == 0, "nothing is signed for a refused state"
    assert result_json(out["genuine"])["outcome"] == "paid"
    assert e.transfers() == 1


def test_without_elicitation_the_stateless_client_gets_approval_required(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})

    async def go():
        async with e.mcp() as s:  # no elicitation callback: the capability is not declared
            return await s.call("paid_fetch", {"url": e.url("/weather")})

    r = run(go())
    d = r["structuredContent"]
    print(f"\nno elicitation: outcome {d['outcome']}, approval {d['approval']}\n  text: {r['text'][:300]}")
    assert not r["isError"] and d["outcome"] == "approval_required" and d["paid"] is False
    assert d["approval"]["command"] == f"purse approve {d['approval']['id']}"
    assert d["approval"]["command"] in r["text"]
    assert e.transfers() == 0 and e.rows() == ["failed"]


# ---- the revision's errors and stdout hygiene on the raw wire -----------------------------------

def test_raw_stateless_session_errors_and_stdout_is_only_jsonrpc(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    elicit = {**ENVELOPE, "io.modelcontextprotocol/clientCapabilities": {"elicitation": {"form": {}}},
              "io.modelcontextprotocol/logLevel": "debug"}
    calls = [
        ("server/discover", {"_meta": ENVELOPE}),
        ("tools/list", {"_meta": ENVELOPE}),
        ("resources/list", {"_meta": ENVELOPE}),
        ("resources/read", {"uri": "purse://budget", "_meta": ENVELOPE}),
        ("resources/read", {"uri": "purse://nope", "_meta": ENVELOPE}),
        ("tools/call", {"name": "wallet_address", "arguments": {}, "_meta": ENVELOPE}),
        ("tools/call", {"name": "quote", "arguments": {"url": e.url("/weather")}, "_meta": ENVELOPE}),
        ("tools/call", {"name": "paid_fetch", "arguments": {"url": e.url("/weather")}, "_meta": ENVELOPE}),
        ("tools/call", {"name": "paid_fetch", "arguments": {"url": e.url("/weather")}, "_meta": elicit}),
        ("tools/call", {"name": "paid_fetch", "arguments": {"url": "ftp://x"}, "_meta": ENVELOPE}),
        ("tools/call", {"name": "no_such_tool", "arguments": {}, "_meta": ENVELOPE}),
        ("tools/list", {"_meta": {**ENVELOPE, "io.modelcontextprotocol/protocolVersion": "2099-01-01"}}),
        ("tools/list", {"_meta": {"io.modelcontextprotocol/protocolVersion": REVISION}}),
        ("tools/list", {}),
        ("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "late", "version": "1"}}),
        ("logging/setLevel", {"level": "debug", "_meta": ENVELOPE}),
        ("no/such/method", {"_meta": ENVELOPE}),
    ]
    try:
        for i, (method, params) in enumerate(calls, start=10):
            srv.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        srv.proc.stdin.write(b"this is not json\n")
        srv.proc.stdin.flush()
        replies = {i: srv.wait_for(i, 60) for i in range(10, 10 + len(calls))}
        rc, took = srv.finish(15)
    finally:
        srv.kill()
    for line in srv.lines:
        if line.strip():
            is_jsonrpc(line)
    print(f"\nraw 2026-07-28 session: {len(srv.lines)} stdout lines, all JSON-RPC; exit {rc} {took:.2f} s after EOF")
    for i, (method, params) in enumerate(calls, start=10):
        r = replies[i]
        brief = (f"error {r['error']['code']} {r['error'].get('data', '')}" if "error" in r
                 else f"{r['result'].get('resultType')}{' isError' if r['result'].get('isError') else ''}")
        print(f"  {method} {json.dumps({k: v for k, v in params.items() if k != '_meta'})[:60]} → {brief}")
    ok = {i: replies[i]["result"] for i in replies if "result" in replies[i]}
    err = {i: replies[i]["error"] for i in replies if "error" in replies[i]}
    for i, res in ok.items():
        assert res["resultType"] in ("complete", "input_required"), res
        assert res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "purse"
    assert ok[11]["cacheScope"] == "public" and ok[11]["ttlMs"] > 0 and len(ok[11]["tools"]) == len(TOOLS)
    assert ok[13]["cacheScope"] == "private" and ok[13]["ttlMs"] == 0
    assert ok[17]["structuredContent"]["outcome"] == "approval_required"
    assert ok[18]["resultType"] == "input_required" and "requestState" in ok[18]
    assert err[14]["code"] == -32602 and err[20]["code"] == -32602
    assert err[21] == {"code": -32022, "message": "Unsupported protocol version",
                       "data": {"supported": [REVISION], "requested": "2099-01-01"}}
    assert err[22]["code"] == -32602 and "clientCapabilities" in err[22]["message"]
    assert err[23]["code"] == -32602
    assert err[24]["code"] == -32022 and err[24]["data"]["supported"] == [REVISION]
    assert err[25]["code"] == -32601 and err[26]["code"] == -32601
    notes = [n for n in srv.notifications if n["method"] == "notifications/message"]
    print(f"  log notifications (only the request that opted in): {len(notes)}")
    assert notes, "the request with io.modelcontextprotocol/logLevel gets its log lines"
    assert rc == 0 and e.transfers() == 0


def test_handshake_connection_refuses_the_stateless_envelope(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, fund=0)
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    try:
        init = srv.initialize("2025-11-25")
        srv.send({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": ENVELOPE}})
        srv.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
        late, listed = srv.wait_for(1), srv.wait_for(2)
        rc, _ = srv.finish(15)
    finally:
        srv.kill()
    print(f"\nhandshake {init['result']['protocolVersion']}, then an enveloped request → {late['error']}")
    assert init["result"]["protocolVersion"] == "2025-11-25"
    assert late["error"]["code"] == -32600
    tools = listed["result"]["tools"]
    assert len(tools) == len(TOOLS) and all(t.get("icons") and t.get("title") for t in tools)
    assert rc == 0


# ---- cold start → first answer ---------------------------------------------------------------------

def test_cold_start_to_first_answer(world, purse_bin, tmp_path):
    """Spawn → first reply, for both revisions (median of 7 runs each). Printed, not asserted."""
    e = Env(world, purse_bin, tmp_path, fund=0)
    first = {
        REVISION: {"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": ENVELOPE}},
        "2025-11-25": {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                  "clientInfo": {"name": "cold", "version": "1"}}},
    }
    times: dict[str, list[float]] = {k: [] for k in first}
    for _ in range(7):
        for rev, msg in first.items():
            t = time.perf_counter()
            p = subprocess.Popen([*e.cmd, "--no-reconcile"], env=e.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL)
            p.stdin.write((json.dumps(msg) + "\n").encode())
            p.stdin.flush()
            line = p.stdout.readline()
            times[rev].append((time.perf_counter() - t) * 1000)
            p.stdin.close()
            p.wait(10)
            assert "result" in is_jsonrpc(line), line
    for rev, ms in times.items():
        ms.sort()
        print(f"\ncold start → first answer ({'server/discover' if rev == REVISION else 'initialize'}, {rev}, debug build): "
              f"median {ms[len(ms) // 2]:.1f} ms, min {ms[0]:.1f} ms")
