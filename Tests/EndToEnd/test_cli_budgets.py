"""Budgets, policy refusals, crash recovery and the spend log, against the chain (issue "budgets")."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import signal
import threading
import time
from decimal import Decimal

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import (DEFAULT_TIMEOUT, EXIT_ERROR, EXIT_OK, EXIT_REFUSED, PurseCLI, Run, base_config,
                           chain_amounts, chain_tx_hashes, payments_of, row_amount_atomic, row_nonce, row_status,
                           row_tx, settled_rows, settle_clock, stop_process, wait_until)
from worldlib import authorization_state, balance_of, count_transfers, drop_log, transfer_logs


# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse, tool_json  # noqa: E402,F401


def refused_with(r: Run, code: str) -> dict:
    assert r.rc == EXIT_REFUSED, str(r)
    d = r.data
    assert d["outcome"] == "refused" and d["paid"] is False, str(r)
    assert d["error"]["code"] == code, str(r)
    return d


# ---- 1. session budget: one `purse serve` process is one session ------------------------------

def test_session_budget_in_one_mcp_session(world, purse):
    p = purse(base_config(world, sessionBudget="0.025"))
    url = world["sellerUrl"] + "/weather"

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            assert "paid_fetch" in await s.tool_names()
            return [await s.call("paid_fetch", {"url": url}) for _ in range(3)]

    results = asyncio.run(asyncio.wait_for(go(), 120))
    for res in results[:2]:
        assert not res["isError"], res
        assert res["data"]["outcome"] == "paid" and res["data"]["payment"]["status"] == "settled", res
    third = results[2]
    print("\nthird paid_fetch:", third["text"][:1000])
    assert third["isError"], third
    err = tool_json(third)["error"]
    assert err["code"] == "budget.session_exceeded", third
    assert "session budget 0.025" in err["message"] and "0.005 left" in err["message"], err  # names the budget and what is left
    assert count_transfers(world, p.address) == 2
    assert p.balance() == 100_000_000 - 20000
    txs = {res["data"]["payment"]["transaction"].lower() for res in results[:2]}
    assert txs == chain_tx_hashes(transfer_logs(world, p.address))


# ---- 2. the daily budget holds across racing processes on one database -------------------------

def test_daily_budget_across_four_racing_processes(world, purse):
    p = purse(base_config(world, dailyBudget="0.30"))
    url = world["sellerUrl"] + "/weather"
    results: list[Run] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 300

    def worker():
        for _ in range(25):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                r = p.fetch(url, timeout=min(left, 90))
            except Exception as e:  # noqa: BLE001 - recorded and asserted below
                r = Run(-1, "", repr(e), ["fetch", url])
            with lock:
                results.append(r)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, name=f"purse-worker-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(320)
    assert not any(t.is_alive() for t in threads), "workers still running"
    took = time.monotonic() - t0
    print(f"\n100 racing fetches in {took:.1f} s")

    assert len(results) == 100, f"only {len(results)} fetches finished"
    busy = [r for r in results if any(w in (r.stdout + r.stderr).lower() for w in ("busy", "locked"))]
    assert not busy, "\n\n".join(map(str, busy[:3]))
    paid = [r for r in results if r.rc == EXIT_OK]
    refused = [r for r in results if r.rc == EXIT_REFUSED]
    other = [r for r in results if r.rc not in (EXIT_OK, EXIT_REFUSED)]
    assert not other, "\n\n".join(map(str, other[:3]))
    assert len(paid) == 30 and len(refused) == 70, (len(paid), len(refused))
    for r in paid:
        assert r.data["outcome"] == "paid" and r.data["payment"]["status"] == "settled", str(r)
    for r in refused:
        assert r.data["error"]["code"] == "budget.daily_exceeded", str(r)

    logs = transfer_logs(world, p.address)
    assert len(logs) == 30 and chain_amounts(logs) == [10000] * 30
    assert p.balance() == 100_000_000 - 300_000
    rows = p.payments()
    settled = settled_rows(rows)
    assert len(settled) == 30, [row_status(x) for x in rows]
    assert {row_tx(x) for x in settled} == chain_tx_hashes(logs)
    assert {r.data["payment"]["transaction"].lower() for r in paid} == chain_tx_hashes(logs)
    settle_clock(world)


# ---- 3. SIGKILL in the middle of a payment, then reconcile ------------------------------------

def test_sigkill_during_retry_then_reconcile(world, purse):
    # A short validity window, so that an authorization that never reached the chain expires
    # within the test and reconcile can release it.
    cfg = base_config(world)
    cfg["payment"]["validityCeilingSeconds"] = 15
    p = purse(cfg)
    seen0 = len(drop_log(world)["nonces"])
    proc = p.popen("fetch", world["dropUrl"] + "/drop-once", "--json")
    try:
        nonces = wait_until(lambda: drop_log(world)["nonces"][seen0:], 30, 0.005, "the drop front seeing the payment")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        stop_process(proc)
        out, err = proc.communicate(timeout=5)
    nonce = nonces[0]
    print(f"\nkilled after the drop of nonce {nonce}; the front saw {len(drop_log(world)['nonces'][seen0:])} sends")
    assert proc.returncode == -signal.SIGKILL

    rows = p.payments()
    assert len(rows) == 1, rows
    assert row_nonce(rows[0]) in (None, nonce), rows
    print("row after kill:", rows[0])

    # Reconcile until the row is resolved (bounded: the window is 15 s, the chain may lead by up to 60 s).
    deadline = time.monotonic() + 120
    while True:
        r = p.reconcile()
        print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r)
        assert r.rc == EXIT_OK, str(r)
        assert re.search(r"reconcile: \d+ unresolved; \d+ settled on chain, \d+ released \(expired unused\), "
                         r"\d+ still pending, 0 errors", r.stdout), str(r)
        row = p.payments()[0]
        if row_status(row) in ("settled", "failed", "released"):
            break
        assert time.monotonic() < deadline, f"row still {row_status(row)} after reconcile: {row}"
        time.sleep(3)

    used = authorization_state(world, p.address, nonce)
    logs = transfer_logs(world, p.address)
    print("final row:", row, "on chain used:", used)
    if used:
        assert row_status(row) == "settled"
        assert len(logs) == 1 and row_tx(row) == logs[0]["transactionHash"].lower()
        assert p.balance() == 100_000_000 - 10000
    else:
        assert row_status(row) in ("failed", "released")
        assert logs == [] and p.balance() == 100_000_000
    # Budgets are exact: what the ledger counts as spent is what the chain moved.
    doc = p.spend_log_json()
    spent = sum(row_amount_atomic(x) for x in settled_rows(payments_of(doc)))
    assert spent == sum(chain_amounts(logs)) == 100_000_000 - p.balance()
    totals = doc["totals"]
    assert Decimal(totals["settled"]) * 10**6 == spent, totals
    assert Decimal(totals["pending"]) == 0, totals
    assert Decimal(totals["released"]) == (0 if used else Decimal("0.01")), totals
    b = p.run("budget", "--json")
    assert b.rc == EXIT_OK, str(b)
    daily = b.data.get("daily") or {}
    print("budget:", b.stdout[:600])
    assert Decimal(daily["spent"]) == Decimal(spent) / 10**6, b.stdout


def test_sigkill_after_resend_then_reconcile_finds_settlement(world, purse):
    """Killed after the resend reached the seller (so the chain settles it) but, very likely, before
    Purse recorded the answer: reconcile must find the settlement on chain and record its tx."""
    p = purse()
    seen0 = len(drop_log(world)["nonces"])
    proc = p.popen("fetch", world["dropUrl"] + "/drop-once", "--json")
    try:
        wait_until(lambda: len(drop_log(world)["nonces"][seen0:]) >= 2, 30, 0.002, "the resend")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        stop_process(proc)
        proc.communicate(timeout=5)
    nonce = drop_log(world)["nonces"][seen0]
    row = p.payments()[0]
    print(f"\nkilled after the resend; row was {row_status(row)} (exit {proc.returncode})")
    wait_until(lambda: authorization_state(world, p.address, nonce), 30, 0.1, "the settlement on chain")
    logs = wait_until(lambda: transfer_logs(world, p.address), 10, 0.1, "the Transfer log")
    r = p.reconcile()
    print(r.stdout.strip())
    assert r.rc == EXIT_OK and ", 0 errors" in r.stdout, str(r)
    row = p.payments()[0]
    assert row_status(row) == "settled", row
    assert row_tx(row) == logs[0]["transactionHash"].lower(), (row, logs)
    assert len(logs) == 1 and p.balance() == 100_000_000 - 10000
    again = p.reconcile()
    assert again.rc == EXIT_OK and "reconcile: 0 unresolved" in again.stdout, str(again)


def test_serve_reconciles_at_start(world, purse):
    """A 'sent' row left by a killed process is resolved by the next `purse serve` on its own."""
    p = purse()
    seen0 = len(drop_log(world)["nonces"])
    proc = p.popen("fetch", world["dropUrl"] + "/drop-once", "--json")
    try:
        wait_until(lambda: len(drop_log(world)["nonces"][seen0:]) >= 2, 30, 0.002, "the resend")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        stop_process(proc)
        proc.communicate(timeout=5)
    nonce = drop_log(world)["nonces"][seen0]
    wait_until(lambda: authorization_state(world, p.address, nonce), 30, 0.1, "the settlement on chain")
    before = row_status(p.payments()[0])
    tx = transfer_logs(world, p.address)[0]["transactionHash"].lower()

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            deadline = time.monotonic() + 20
            while True:
                rows = payments_of(tool_json(await s.call("spend_log", {})))
                if row_status(rows[0]) == "settled" or time.monotonic() > deadline:
                    return rows[0]
                await asyncio.sleep(0.2)

    row = asyncio.run(asyncio.wait_for(go(), 60))
    print(f"\nrow before serve: {before}; after: {row_status(row)}")
    assert row_status(row) == "settled" and row_tx(row) == tx, row


# ---- 4. each policy refusal, with its reason code --------------------------------------------

def test_host_denied(world, purse):
    cfg = base_config(world)
    cfg["policy"]["hosts"] = {"deny": ["127.0.0.1"]}
    p = purse(cfg)
    d = refused_with(p.fetch(world["sellerUrl"] + "/weather"), "policy.host_denied")
    assert "127.0.0.1" in d["error"]["message"]
    assert count_transfers(world, p.address) == 0


def test_host_deny_wins_over_allow(world, purse):
    cfg = base_config(world)
    cfg["policy"]["hosts"] = {"allow": ["127.0.0.1"], "deny": ["127.0.0.1"]}
    p = purse(cfg)
    refused_with(p.fetch(world["sellerUrl"] + "/weather"), "policy.host_denied")
    assert count_transfers(world, p.address) == 0


def test_host_not_allowed(world, purse):
    cfg = base_config(world)
    cfg["policy"]["hosts"] = {"allow": ["*.example.com"]}
    p = purse(cfg)
    d = refused_with(p.fetch(world["sellerUrl"] + "/weather"), "policy.host_not_allowed")
    assert "127.0.0.1" in d["error"]["message"]
    assert count_transfers(world, p.address) == 0


def test_host_allowed_pays(world, purse):
    cfg = base_config(world)
    cfg["policy"]["hosts"] = {"allow": ["127.0.0.1"], "deny": ["*.example.com"]}
    p = purse(cfg)
    r = p.fetch(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid", str(r)
    assert count_transfers(world, p.address) == 1


def test_per_host_daily_budget(world, purse):
    cfg = base_config(world, perHost={"127.0.0.1": {"daily": "0.015"}})
    p = purse(cfg)
    first = p.fetch(world["sellerUrl"] + "/weather")
    assert first.rc == EXIT_OK and first.data["outcome"] == "paid", str(first)
    d = refused_with(p.fetch(world["sellerUrl"] + "/weather"), "budget.host_daily_exceeded")
    assert "127.0.0.1" in d["error"]["message"] and "0.005" in d["error"]["message"], d
    assert count_transfers(world, p.address) == 1


def test_network_list_refused(world, purse):
    p = purse(base_config(world, allowNetworks=["eip155:421614"]))
    d = refused_with(p.fetch(world["sellerUrl"] + "/weather"), "policy.no_acceptable_option")
    assert "is not allowed by the policy" in d["error"]["message"]
    assert count_transfers(world, p.address) == 0


def test_asset_list_refused(world, purse):
    p = purse(base_config(world, allowAssets=["0x0000000000000000000000000000000000000001"]))
    d = refused_with(p.fetch(world["sellerUrl"] + "/weather"), "policy.no_acceptable_option")
    assert "is not a known or allowed token" in d["error"]["message"]
    assert count_transfers(world, p.address) == 0


def test_confirm_above_in_cli_asks_for_a_terminal_approval(world, purse):
    """`purse fetch` above confirmAbove files a terminal approval (exit 3, outcome
    approval_required); `purse approve ID --yes`, then `fetch --approval-id ID` pays once."""
    p = purse(base_config(world, confirmAbove="0.005"))
    url = world["sellerUrl"] + "/weather"
    r = p.fetch(url)
    assert r.rc == EXIT_REFUSED, str(r)
    d = r.data
    assert d["outcome"] == "approval_required" and d["paid"] is False and d["error"]["code"] == "approval.required", str(r)
    ticket = d["approval"]
    assert ticket["command"] == f"purse approve {ticket['id']}" and ticket["amount"] == "0.01"
    assert count_transfers(world, p.address) == 0
    approved = p.run("approve", ticket["id"], "--yes")
    assert approved.rc == EXIT_OK, str(approved)
    paid = p.fetch(url, "--approval-id", ticket["id"])
    assert paid.rc == EXIT_OK and paid.data["outcome"] == "paid", str(paid)
    again = p.fetch(url, "--approval-id", ticket["id"])
    assert again.rc == EXIT_REFUSED and again.data["error"]["code"] == "approval.reused", str(again)
    assert count_transfers(world, p.address) == 1


# ---- 5. the spend log: three formats, the chain, empty and corrupt databases --------------------

def test_spend_log_formats_agree_with_chain(world, purse):
    p = purse()
    for path in ("/weather", "/multi"):
        r = p.fetch(world["sellerUrl"] + path)
        assert r.rc == EXIT_OK, str(r)
    refused = p.fetch(world["sellerUrl"] + "/weather", "--max-price", "0.001")
    assert refused.rc == EXIT_REFUSED
    logs = transfer_logs(world, p.address)
    chain = {lg["transactionHash"].lower(): int(lg["data"], 16) for lg in logs}
    assert sorted(chain.values()) == [10000, 20000]

    doc = p.spend_log_json()
    rows = payments_of(doc)
    settled = settled_rows(rows)
    assert {row_tx(x): row_amount_atomic(x) for x in settled} == chain, rows
    totals = doc["totals"]
    assert Decimal(totals["settled"]) == Decimal("0.03") and Decimal(totals["pending"]) == 0, totals
    assert [(h["host"], Decimal(h["settled"]), h["count"]) for h in totals["byHost"]] == [("127.0.0.1", Decimal("0.03"), 2)]

    t = p.spend_log("table")
    assert t.rc == EXIT_OK, str(t)
    print(t.stdout)
    lines = t.stdout.splitlines()
    for tx, amount in chain.items():
        short = f"{tx[:6]}…{tx[-4:]}"  # the table abbreviates hashes
        (line,) = [ln for ln in lines if short in ln.lower() or tx in ln.lower()]
        assert f"{amount / 1e6:.2f} USDC" in line and "settled" in line and "127.0.0.1" in line, line
    assert "settled 0.03 USDC" in t.stdout, t.stdout

    c = p.spend_log("csv")
    assert c.rc == EXIT_OK, str(c)
    table = list(csv.DictReader(io.StringIO(c.stdout)))
    assert table, c.stdout
    cols = {k.lower(): k for k in table[0]}
    tx_col = next(cols[k] for k in cols if k in ("txhash", "tx_hash", "transaction", "tx"))
    st_col = cols["status"]
    csv_settled = {r[tx_col].lower(): r for r in table if r[st_col] == "settled"}
    assert set(csv_settled) == set(chain), c.stdout
    amt_col = next((cols[k] for k in cols if k in ("amountatomic", "amount_atomic", "amountmicros")), None)
    if amt_col:
        assert {k: int(v[amt_col]) for k, v in csv_settled.items()} == chain
    else:
        dec = cols["amount"]
        assert {k: round(float(v[dec]) * 1e6) for k, v in csv_settled.items()} == chain


def test_spend_log_empty_db_is_friendly(world, purse):
    p = purse(fund=0)
    missing = p.tmp / "never-used.db"
    r = p.spend_log("table", db=missing)
    assert r.rc == EXIT_OK, str(r)
    assert r.stdout.strip() and "error" not in r.stdout.lower(), str(r)
    print("\nempty:", r.stdout.strip())
    j = p.spend_log("json", db=missing)
    assert j.rc == EXIT_OK and payments_of(j.data) == [], str(j)
    assert not missing.exists(), "spend-log created a database"


def test_spend_log_corrupt_db_clear_error(world, purse):
    p = purse(fund=0)
    bad = p.tmp / "corrupt.db"
    blob = os.urandom(16384)
    bad.write_bytes(blob)
    for cmd in (("spend-log",), ("budget",), ("reconcile",), ("fetch", world["sellerUrl"] + "/weather")):
        r = p.run(*cmd, db=bad, timeout=DEFAULT_TIMEOUT)
        print(f"\n{cmd[0]} on a corrupt db →", r.rc, r.stderr.strip()[:300])
        assert r.rc == EXIT_ERROR, str(r)
        assert r.stderr.strip(), str(r)
        low = r.stderr.lower()
        assert "database" in low or "corrupt.db" in low or "sqlite" in low, str(r)
        assert bad.read_bytes() == blob, f"{cmd[0]} modified the corrupt database"


# ---- more: concurrency inside one MCP session, spend-log filters ------------------------------

def test_session_budget_holds_under_concurrent_mcp_calls(world, purse):
    p = purse(base_config(world, sessionBudget="0.025"))
    url = world["sellerUrl"] + "/weather"

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            return await asyncio.gather(*[s.call("paid_fetch", {"url": url}) for _ in range(5)])

    results = asyncio.run(asyncio.wait_for(go(), 120))
    paid = [r for r in results if not r["isError"]]
    refused = [r for r in results if r["isError"]]
    assert len(paid) == 2 and len(refused) == 3, [r["text"][:200] for r in results]
    for r in refused:
        assert tool_json(r)["error"]["code"] == "budget.session_exceeded", r
    assert count_transfers(world, p.address) == 2
    assert {r["data"]["payment"]["transaction"].lower() for r in paid} == chain_tx_hashes(transfer_logs(world, p.address))


def test_spend_log_filters(world, purse):
    p = purse()
    first = p.fetch(world["sellerUrl"] + "/weather")
    second = p.fetch(world["sellerUrl"] + "/multi")
    assert first.rc == EXIT_OK and second.rc == EXIT_OK, (str(first), str(second))
    tx1, tx2 = (r.data["payment"]["transaction"].lower() for r in (first, second))
    assert {row_tx(x) for x in p.payments("--status", "settled")} == {tx1, tx2}
    assert p.payments("--status", "unknown") == []
    assert [row_tx(x) for x in p.payments("--limit", "1")] == [tx2]  # newest first
    assert [row_tx(x) for x in p.payments("--session", "last")] == [tx2]
    assert len(p.payments("--host", "127.0.0.1")) == 2 and p.payments("--host", "127.0.0.2") == []
    assert len(p.payments("--since", "1h")) == 2
    bad = p.spend_log("json", "--status", "paid")
    assert bad.rc != EXIT_OK and "--status" in bad.stderr, str(bad)
