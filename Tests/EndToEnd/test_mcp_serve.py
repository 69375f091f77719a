"""`purse serve` under the official MCP Python client (mcp 2.3.0), against the offline world.

Shows: every handshake protocol version negotiates; the six tools with schemas and annotations;
paid fetches (v2 and v1) whose receipts are on chain; a session budget that holds under eight
parallel calls; approval by elicitation/create at 2025-11-25 (accept, decline; no capability gives
the terminal style); a paid call whose reply is still
written after stdin closes; a cancelled call that gets no reply while its payment completes; a
3 MiB reply framed correctly for a slow reader; and nothing but JSON-RPC on stdout.
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import time
from pathlib import Path

import pytest

from conftest import balance_of, count_transfers, receipt
from mcp_driver import PurseMCP
from purse_e2e import (RawServe, base_env, find_dicts, is_jsonrpc, ledger_rows, new_key, result_json,
                       spend_log_payments, tool_call, tool_result_json, wait_until, write_config)

VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
TOOLS = {"paid_fetch", "quote", "wallet_balance", "wallet_address", "budget_status", "spend_log", "discover", "paid_tool_call",
         "tool_quote"}


class Env:
    """A fresh funded wallet with its own config, database and environment."""

    def __init__(self, world, purse_bin, tmp_path, fund=10_000_000, **config):
        self.world, self.purse_bin = world, purse_bin
        self.key, self.address = new_key(world, fund)
        self.config = write_config(tmp_path / "config.json", world, **config)
        self.db = tmp_path / "purse.db"
        self.env = base_env(tmp_path, self.key)

    @property
    def cmd(self) -> list[str]:
        return [str(self.purse_bin), "serve", "--config", str(self.config), "--db", str(self.db)]

    def mcp(self, **kw) -> PurseMCP:
        return PurseMCP(self.cmd, self.env, **kw)

    def url(self, path: str) -> str:
        return self.world["sellerUrl"] + path

    def transfers(self) -> int:
        return count_transfers(self.world, self.address)


def code_of(res: dict) -> str | None:
    return ((result_json(res) or {}).get("error") or {}).get("code")


def run(coro):
    return asyncio.run(coro)


# ---- initialize and tools/list ---------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_initialize_and_list_tools(version, world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, fund=0)

    async def go():
        async with e.mcp(protocol_version=version) as s:
            return s.negotiated_version, s.init_result.model_dump(mode="json", by_alias=True, exclude_none=True), await s.tools()

    t = time.monotonic()
    negotiated, init, tools = run(go())
    took = time.monotonic() - t
    by_name = {x["name"]: x for x in tools}
    print(f"\n{version}: negotiated {negotiated}, server {init.get('serverInfo')}, tools {sorted(by_name)}, "
          f"session {took:.2f} s")
    assert negotiated == version
    assert "tools" in init["capabilities"]
    assert set(by_name) == TOOLS
    for name, tool in by_name.items():
        assert tool.get("inputSchema", {}).get("type") == "object", name
        assert tool.get("description"), name
        if version >= "2025-06-18" and name != "paid_tool_call":  # it returns the other server's own result
            assert tool.get("outputSchema", {}).get("type") == "object", f"{name}: no outputSchema at {version}"
        if version >= "2025-03-26":
            assert "annotations" in tool, f"{name}: no annotations at {version}"
    if version >= "2025-03-26":
        pf = by_name["paid_fetch"]["annotations"]
        assert pf.get("readOnlyHint") is False
        assert by_name["quote"]["annotations"].get("readOnlyHint") is True
        assert by_name["wallet_address"]["annotations"].get("readOnlyHint") is True
    print("  outputSchema present:", {n: "outputSchema" in x for n, x in by_name.items()})


# ---- paid fetches ---------------------------------------------------------------------------

def _in_memory(directory: Path) -> bool:
    """Whether `directory` is on a file system in memory (tmpfs, ramfs), as GNU stat names it."""
    kind = subprocess.run(["stat", "-f", "-c", "%T", str(directory)], capture_output=True, text=True, check=True).stdout.strip()
    return kind in ("tmpfs", "ramfs")


def test_paid_fetch_v2_v1_and_balance(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path)
    paths = ["/weather"] + (["/v1/weather"] if world.get("v1Network") else [])

    async def go():
        async with e.mcp(elicit="decline") as s:
            results = {p: await s.call("paid_fetch", {"url": e.url(p)}) for p in paths}
            bal = await s.call("wallet_balance", {})
            addr = await s.call("wallet_address", {})
            log = await s.call("spend_log", {"limit": 10})
            res_log, res_budget = await s.read("purse://spend-log"), await s.read("purse://budget")
            # A server lengthens its ledger's log to 4 MiB in the background at start, so that
            # no reservation's sync grows the file; two payments alone write about 100 KiB. Not
            # on a file system in memory, where no sync waits for a disk.
            wal = Path(str(e.db) + "-wal")
            if _in_memory(e.db.parent):
                assert wal.exists() and wal.stat().st_size < 4 << 20, wal.stat().st_size
            else:
                wait_until(lambda: wal.exists() and wal.stat().st_size >= 4 << 20, 10, what="serve lengthens the ledger's log")
            return results, bal, addr, log, res_log, res_budget, s.logs

    results, bal, addr, log, res_log, res_budget, logs = run(go())
    for p, r in results.items():
        d = r["structuredContent"]
        print(f"\n{p}: isError={r['isError']} outcome={d and d.get('outcome')} status={d and d.get('status')} "
              f"payment={d and d.get('payment')}")
        assert not r["isError"], r
        assert d["outcome"] == "paid" and d["status"] == 200 and d["paid"] is True
        assert d["body"], d
        pay = d["payment"]
        assert pay["amountAtomic"] == "10000" and pay["payer"].lower() == e.address.lower()
        assert pay["status"] == "settled"
        rc = receipt(world, pay["transaction"])
        assert rc is not None and int(rc["status"], 16) == 1, rc
        assert r["text"], "a success also carries a text block"
    assert e.transfers() == len(paths)
    onchain = balance_of(world, e.address)
    assert onchain == 10_000_000 - 10_000 * len(paths)
    b = bal["structuredContent"]
    entries = [x for x in b["balances"] if x["asset"].lower() == world["token"].lower()]
    assert entries and int(entries[0]["amountAtomic"]) == onchain, b
    assert addr["structuredContent"]["address"] == e.address
    assert json.loads(res_budget)["session"]["spent"] == f"0.0{len(paths)}"
    assert not log["isError"] and log["structuredContent"]
    statuses = [x["status"] for x in find_dicts(log["structuredContent"], "status")
                if x.get("status") in ("reserved", "sent", "settled", "failed", "unknown")]
    assert statuses.count("settled") == len(paths), log["structuredContent"]
    assert res_log.strip() and res_budget.strip()
    json.loads(res_log), json.loads(res_budget)
    print("MCP log notifications:", len(logs), [str(x.get("data"))[:80] for x in logs[:6]])
    assert [r["status"] for r in ledger_rows(e.db)] == ["settled"] * len(paths)


def test_every_tool_result_matches_its_output_schema(world, purse_bin, tmp_path):
    """The official client validates structuredContent against each tool's outputSchema and raises
    when it does not match: every tool must pass, before and after a payment."""
    e = Env(world, purse_bin, tmp_path)
    calls = [("wallet_address", {}), ("wallet_balance", {}), ("budget_status", {}), ("spend_log", {}),
             ("quote", {"url": e.url("/weather")}), ("quote", {"url": e.url("/multi")}),
             ("paid_fetch", {"url": e.url("/health")}), ("paid_fetch", {"url": e.url("/weather")}),
             ("budget_status", {}), ("spend_log", {"limit": 5}), ("spend_log", {"session": "current"})]
    problems: list[str] = []

    async def go():
        async with e.mcp(elicit="decline") as s:
            for tool, args in calls:
                try:
                    r = await s.call(tool, args)
                    ok = "isError" if r["isError"] else "ok"
                except Exception as exc:  # the client's schema validation raises RuntimeError
                    problems.append(f"{tool} {json.dumps(args)}: {str(exc).splitlines()[0]}")
                    ok = "INVALID"
                print(f"  {tool} {json.dumps(args)[:60]}: {ok}")

    print()
    run(go())
    assert not problems, "tool results the official MCP client rejects:\n" + "\n".join(problems)


def test_parallel_calls_respect_session_budget(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"sessionBudget": "0.05"})

    async def go():
        async with e.mcp(elicit="decline") as s:
            return await asyncio.gather(*[s.call("paid_fetch", {"url": e.url("/weather")}) for _ in range(8)])

    t = time.monotonic()
    results = run(go())
    took = time.monotonic() - t
    paid = [r for r in results if not r["isError"] and r["structuredContent"]["outcome"] == "paid"]
    refused = [r for r in results if r["isError"]]
    codes = [code_of(r) for r in refused]
    print(f"\n8 parallel paid_fetch, sessionBudget 0.05 @ 0.01: {len(paid)} paid, {len(refused)} refused {codes} "
          f"in {took:.2f} s; transfers on chain {e.transfers()}")
    assert len(paid) == 5 and len(refused) == 3
    assert codes == ["budget.session_exceeded"] * 3
    for r in refused:
        assert result_json(r)["outcome"] == "refused" and result_json(r)["paid"] is False
    assert e.transfers() == 5
    txs = {r["structuredContent"]["payment"]["transaction"] for r in paid}
    assert len(txs) == 5 and all(int(receipt(world, tx)["status"], 16) == 1 for tx in txs)
    rows = ledger_rows(e.db)
    assert sorted(r["status"] for r in rows) == ["settled"] * 5, rows  # refused before reserving: no rows


# ---- approval by elicitation ---------------------------------------------------------------

@pytest.mark.parametrize("elicit", ["accept", "decline", None])
def test_elicitation(elicit, world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})

    async def go():
        async with e.mcp(elicit=elicit) as s:
            caps = s.session._build_capabilities(s.negotiated_version)
            r = await s.call("paid_fetch", {"url": e.url("/weather")})
            return r, s.elicitations, caps, s.logs, s.negotiated_version

    r, elicitations, caps, logs, version = run(go())
    assert version == "2025-11-25", "the official client's handshake offers its latest handshake revision"
    data = r["structuredContent"] if not r["isError"] else result_json(r)
    print(f"\nelicit={elicit}: client elicitation capability={caps.elicitation is not None}; isError={r['isError']} "
          f"outcome={data.get('outcome')} code={code_of(r)} elicitations={len(elicitations)}")
    if elicitations:
        print("  asked:", str(elicitations[0].get("message"))[:200])
    rows = [x["status"] for x in ledger_rows(e.db)]
    if elicit == "accept":
        assert not r["isError"] and data["outcome"] == "paid"
        assert len(elicitations) == 1 and "0.01" in elicitations[0]["message"]
        assert e.transfers() == 1 and rows == ["settled"]
    elif elicit == "decline":
        assert r["isError"] and code_of(r) == "approval.declined"
        assert len(elicitations) == 1
        assert e.transfers() == 0 and rows == ["failed"]
    else:
        # No elicitation: the terminal style (test_mcp_approvals.py follows it to the payment).
        assert caps.elicitation is None, "elicit=None must mean: no elicitation capability declared"
        assert not r["isError"] and data["outcome"] == "approval_required" and code_of(r) == "approval.required"
        assert elicitations == []
        assert data["approval"]["command"] in r["text"], r["text"]
        print("  text:", r["text"][:300])
        assert e.transfers() == 0 and rows == ["failed"]
    assert data["paid"] is (elicit == "accept")


# ---- raw JSON-RPC: stdin closed mid-call, slow reader, stdout hygiene -------------------------

def test_stdin_closed_while_paid_call_in_flight(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path)
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    try:
        srv.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "raw", "version": "1"}}})
        srv.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        srv.send(tool_call(1, "paid_fetch", {"url": e.url("/weather")}))
        rc, took = srv.finish(timeout=30)  # closes stdin right away, waits for exit
    finally:
        srv.kill()
    msgs = [is_jsonrpc(line) for line in srv.lines if line.strip()]
    replies = {m["id"]: m for m in msgs if "id" in m and ("result" in m or "error" in m)}
    print(f"\nstdin closed after tools/call: exit {rc} {took:.2f} s after EOF; {len(msgs)} stdout messages; "
          f"ids {sorted(replies)}")
    assert rc == 0, srv.stderr[-3000:]
    assert took < 20
    assert 0 in replies and 1 in replies, f"the paid call's reply is missing; stderr: {srv.stderr[-2000:]}"
    is_err, data = tool_result_json(replies[1])
    assert not is_err and data["outcome"] == "paid", data
    pays = spend_log_payments(purse_bin, e.env, e.config, e.db)
    print("  spend-log:", [(p.get("status"), p.get("txHash") or p.get("transaction")) for p in pays])
    assert [p["status"] for p in pays] == ["settled"]
    assert e.transfers() == 1
    assert int(receipt(world, data["payment"]["transaction"])["status"], 16) == 1


def test_big_response_framed_for_slow_reader(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path)
    srv = RawServe(purse_bin, e.env, e.config, e.db, reader=False)
    out = srv.proc.stdout
    buf = b""
    lines: list[bytes] = []

    def read_until(pred, deadline, chunk=16384, pause=0.004):
        # `pause` makes this a slow reader (the point of the test), it synchronises nothing.
        nonlocal buf
        while time.monotonic() < deadline:
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.append(line)
                if pred(is_jsonrpc(line)):
                    return
            data = out.read1(chunk) if hasattr(out, "read1") else out.read(chunk)
            if not data:
                raise EOFError("stdout closed")
            buf += data
            time.sleep(pause)
        raise TimeoutError

    try:
        t = time.monotonic()
        srv.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "slow", "version": "1"}}})
        read_until(lambda m: m.get("id") == 0, t + 30)
        srv.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        srv.send(tool_call(1, "paid_fetch", {"url": e.url("/big?mib=3")}))
        srv.send(tool_call(2, "budget_status", {}))  # a small reply must not be interleaved into the big one
        got = set()
        read_until(lambda m: (got.add(m.get("id")) or {1, 2} <= got), t + 120)
        took = time.monotonic() - t
        srv.close_stdin()
        rest = out.read()
        for line in (buf + rest).split(b"\n"):
            if line.strip():
                lines.append(line)
                is_jsonrpc(line)
        rc = srv.proc.wait(20)
    finally:
        srv.kill()
    msgs = [json.loads(x) for x in lines]
    big = next(m for m in msgs if m.get("id") == 1)
    is_err, data = tool_result_json(big)
    body = data["body"]
    size = len(base64.b64decode(body)) if data["bodyEncoding"] == "base64" else len(body.encode())
    longest = max(len(x) for x in lines)
    print(f"\n/big over MCP, slow reader: {len(lines)} lines, longest {longest / 2**20:.2f} MiB, body {size / 2**20:.2f} MiB "
          f"({data['bodyEncoding']}, truncated={data['truncated']}), {took:.1f} s; exit {rc}")
    assert not is_err and data["outcome"] == "paid" and data["status"] == 200
    assert size >= 3 * 2**20 - 1024 and data["truncated"] is False
    assert rc == 0
    assert e.transfers() == 1


def test_stdout_is_only_jsonrpc(world, purse_bin, tmp_path):
    """Every kind of request, good and bad, on one raw session: each stdout line is JSON-RPC."""
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"})
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    try:
        srv.initialize("2025-11-25")
        calls = [
            ("tools/list", {}),
            ("resources/list", {}),
            ("resources/read", {"uri": "purse://budget"}),
            ("resources/read", {"uri": "purse://spend-log"}),
            ("resources/read", {"uri": "purse://nope"}),
            ("tools/call", {"name": "wallet_address", "arguments": {}}),
            ("tools/call", {"name": "wallet_balance", "arguments": {}}),
            ("tools/call", {"name": "wallet_balance", "arguments": {"network": "eip155:1"}}),
            ("tools/call", {"name": "quote", "arguments": {"url": e.url("/weather")}}),
            ("tools/call", {"name": "paid_fetch", "arguments": {"url": e.url("/weather")}}),  # approval_required
            ("tools/call", {"name": "paid_fetch", "arguments": {"url": e.url("/health")}}),
            ("tools/call", {"name": "paid_fetch", "arguments": {"url": "ftp://x"}}),
            ("tools/call", {"name": "paid_fetch", "arguments": {"url": "http://127.0.0.1:1/refused"}}),
            ("tools/call", {"name": "no_such_tool", "arguments": {}}),
            ("tools/call", {"name": "spend_log", "arguments": {"limit": 0}}),
            ("no/such/method", {}),
            ("ping", {}),
        ]
        for i, (method, params) in enumerate(calls, start=10):
            srv.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        srv.proc.stdin.write(b"this is not json\n")
        srv.proc.stdin.flush()
        srv.send({"jsonrpc": "2.0", "id": 99, "method": "ping"})
        replies = {i: srv.wait_for(i, 30) for i in [*range(10, 10 + len(calls)), 99]}
        rc, took = srv.finish(15)
    finally:
        srv.kill()
    for line in srv.lines:
        if line.strip():
            is_jsonrpc(line)
    print(f"\nraw session: {len(srv.lines)} stdout lines, all JSON-RPC; exit {rc} {took:.2f} s after EOF")
    for i, (method, params) in enumerate(calls, start=10):
        r = replies[i]
        brief = ("error " + str(r["error"].get("code"))) if "error" in r else \
            ("isError" if r["result"].get("isError") else "ok")
        print(f"  {method} {json.dumps(params)[:70]} → {brief}")
    assert rc == 0
    assert e.transfers() == 0


# ---- approvals and cancellation on the raw wire ----------------------------------------------

def _approval_session(e: Env, purse_bin) -> tuple[RawServe, dict]:
    """A raw client that declares elicitation, then a paid_fetch above confirmAbove: returns the
    server's elicitation/create request."""
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    srv.initialize("2025-06-18", {"elicitation": {"form": {}}})
    srv.send(tool_call(1, "paid_fetch", {"url": e.url("/weather")}))
    srv.pump(lambda: any(r["method"] == "elicitation/create" for r in srv.requests), 30)
    return srv, next(r for r in srv.requests if r["method"] == "elicitation/create")


def test_approval_unanswered_times_out(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"}, payment={"approvalTimeoutSeconds": 5})
    srv, ask = _approval_session(e, purse_bin)
    try:
        t = time.monotonic()
        reply = srv.wait_for(1, 20)
        took = time.monotonic() - t
        srv.drain_queue()
        cancelled = [n for n in srv.notifications if n["method"] == "notifications/cancelled"]
        rc, _ = srv.finish(15)
    finally:
        srv.kill()
    is_err, data = tool_result_json(reply)
    print(f"\nunanswered approval: {data['error']['code']} after {took:.1f} s; notifications/cancelled for the "
          f"elicitation: {[c['params'] for c in cancelled]}")
    assert is_err and data["error"]["code"] == "approval.timeout" and data["paid"] is False
    assert 4.5 < took < 12
    assert any(c["params"].get("requestId") == ask["id"] for c in cancelled), "the client is told to close the prompt"
    assert [r["status"] for r in ledger_rows(e.db)] == ["failed"] and e.transfers() == 0
    assert rc == 0


def test_stdin_closed_during_approval(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"}, payment={"approvalTimeoutSeconds": 60})
    srv, _ = _approval_session(e, purse_bin)
    try:
        rc, took = srv.finish(20)  # hang up without answering
    finally:
        srv.kill()
    reply = srv.replies.get(1)
    print(f"\nstdin closed during approval: exit {rc} {took:.2f} s after EOF; reply "
          f"{tool_result_json(reply)[1]['error'] if reply else None}")
    assert rc == 0 and took < 10, "must not wait for the 60 s approval timeout"
    if reply is not None:
        is_err, data = tool_result_json(reply)
        assert is_err and data["paid"] is False
    rows = [r["status"] for r in ledger_rows(e.db)]
    assert rows == ["failed"], rows
    assert e.transfers() == 0


def test_cancelled_paid_call_gets_no_reply_and_its_payment_completes(world, purse_bin, tmp_path):
    """notifications/cancelled for paid tools/calls that are provably in flight: each is waiting for
    the human's approval (an elicitation this client holds) when the cancel is sent, and the server
    reads its input in order, so the cancel lands before the approval does. Proof that it landed:
    the cancelled calls get no reply, while the control call (not cancelled) does. Cancelling the
    request must not cancel the payment: an approved one still settles on chain, a declined one is
    released, and the ledger agrees with the chain."""
    e = Env(world, purse_bin, tmp_path, policy={"confirmAbove": "0.005"}, payment={"approvalTimeoutSeconds": 60})
    srv = RawServe(purse_bin, e.env, e.config, e.db)
    plan = [(1, True, True), (2, True, False), (3, True, True), (4, False, True)]  # (id, cancel, approve)
    try:
        srv.initialize("2025-06-18", {"elicitation": {"form": {}}})
        for i, cancel, approve in plan:
            asked = len(srv.requests)
            srv.send(tool_call(i, "paid_fetch", {"url": e.url("/weather")}))
            srv.pump(lambda: len(srv.requests) > asked, 30)  # the call now waits for the human
            ask = srv.requests[-1]
            assert ask["method"] == "elicitation/create", ask
            if cancel:
                srv.send({"jsonrpc": "2.0", "method": "notifications/cancelled",
                          "params": {"requestId": i, "reason": "test"}})
            answer = {"action": "accept", "content": {"approve": True}} if approve else {"action": "decline"}
            srv.send({"jsonrpc": "2.0", "id": ask["id"], "result": answer})
            wait_until(lambda: [r["status"] for r in ledger_rows(e.db)][i - 1:] in (["settled"], ["failed"]), 60,
                       what=f"call {i}'s payment to finish")
        control = srv.wait_for(4, 30)
        rc, _ = srv.finish(20)
    finally:
        srv.kill()
    rows = [r["status"] for r in ledger_rows(e.db)]
    replied = sorted(k for k in srv.replies if k in (1, 2, 3, 4))
    print(f"\n3 paid calls cancelled while awaiting approval (approve, decline, approve) + 1 control: replies for "
          f"{replied}; ledger {rows}; transfers {e.transfers()}; exit {rc}")
    assert replied == [4], "the cancelled calls must get no reply (the cancel landed); the control call must"
    is_err, data = tool_result_json(control)
    assert not is_err and data["outcome"] == "paid", data
    assert rows == ["settled", "failed", "settled", "settled"], rows
    assert e.transfers() == 3
    assert rc == 0
