"""One budget for a fleet: the ledger on PostgreSQL (issue 16, "fleet"), against the offline chain.

Each test gets a database of its own in the private cluster scripts/test starts
(PURSE_TEST_PG_URL; scripts/pg-cluster by hand). Processes with a home, config and session label
of their own stand for machines; they share one budget through the database named in their
config's `db`, with the password variable named by `dbPasswordEnv`.

Without a cluster the module is skipped with its reason, unless PURSE_TEST_REQUIRE_PG=1 (set by
scripts/test), which makes a missing cluster a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from purse_e2e import (EXIT_OK, EXIT_REFUSED, REPO, Run, base_config, base_env, chain_amounts, chain_tx_hashes, new_key,
                       payments_of, result_json, row_status, row_tx, run_purse, settle_clock, stop_process)
from worldlib import transfer_logs

from purse_e2e import _leave_clock_as_found  # noqa: E402,F401

PG_URL = os.environ.get("PURSE_TEST_PG_URL", "")
REQUIRED = os.environ.get("PURSE_TEST_REQUIRE_PG") == "1"
PASSWORD_VAR = "PURSE_FLEET_DB_PASSWORD"
# Trust authentication on the test cluster ignores it; it must still never be printed.
PASSWORD = "Fleet-Pw-" + secrets.token_hex(6)

if not PG_URL and not REQUIRED:
    pytestmark = pytest.mark.skip(reason="PURSE_TEST_PG_URL is not set: no PostgreSQL cluster (scripts/test starts one)")


def psql(url: str, sql: str, timeout: float = 60) -> str:
    """Runs one SQL statement with psql and returns its unaligned output."""
    exe = shutil.which("psql")
    assert exe, "psql is missing (scripts/bootstrap --postgres installs it)"
    p = subprocess.run([exe, url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


@pytest.fixture
def pg_db():
    """A fresh database in the test cluster (dropped afterwards); yields its URL."""
    assert PG_URL, "PURSE_TEST_REQUIRE_PG=1 but PURSE_TEST_PG_URL is not set"
    name = "fleet_" + secrets.token_hex(5)
    psql(PG_URL, f"CREATE DATABASE {name}")
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        psql(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def bench_bin() -> Path:
    """purse-bench, built beside purse: its ledger-worker is the fast reservation driver."""
    p = Path(os.environ.get("PURSE_BIN", REPO / ".build" / "debug" / "purse")).parent / "purse-bench"
    assert p.exists(), f"{p} is missing: swift build builds it"
    return p


class Machine:
    """One machine of the fleet: its own home, config (db = the shared URL) and session label."""

    def __init__(self, purse_bin: Path, world: dict, home: Path, key: str, db_url: str, label: str, **policy: str):
        self.bin, self.home = purse_bin, home
        home.mkdir(parents=True, exist_ok=True)
        cfg = base_config(world, **policy)
        cfg["db"] = db_url
        cfg["dbPasswordEnv"] = PASSWORD_VAR
        self.config = home / "config.json"
        self.config.write_text(json.dumps(cfg, indent=2))
        self.env = base_env(home, key, PURSE_SESSION_LABEL=label, **{PASSWORD_VAR: PASSWORD})

    def run(self, *args: str, timeout: float = 90) -> Run:
        return run_purse(self.bin, list(args), self.env, config=self.config, timeout=timeout)

    def fetch(self, url: str, timeout: float = 90) -> Run:
        return self.run("fetch", url, "--json", timeout=timeout)


def race_fetches(machines: list[Machine], url: str, per_machine: int, on_result=None) -> list[Run]:
    """Every machine runs `per_machine` paid fetches one after another, all machines at once."""
    results: list[Run] = []
    lock = threading.Lock()
    deadline = time.monotonic() + 240

    def worker(m: Machine):
        for _ in range(per_machine):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                r = m.fetch(url, timeout=min(left, 90))
            except Exception as e:  # noqa: BLE001 - recorded and asserted by the caller
                r = Run(-1, "", repr(e), ["fetch", url])
            with lock:
                results.append(r)
                n = len(results)
            if on_result:
                on_result(n)

    threads = [threading.Thread(target=worker, args=(m,), name=f"machine-{i}") for i, m in enumerate(machines)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(260)
    assert not any(t.is_alive() for t in threads), "machines still running"
    return results


def sqlite_files(root: Path) -> list[Path]:
    """Every SQLite database (or its -wal/-shm/lock companion) under `root`."""
    out = []
    for p in root.rglob("*"):
        if p.is_file() and (p.suffix in (".db", ".sqlite") or p.name.endswith(("-wal", "-shm", "-reserve.lock"))):
            out.append(p)
        elif p.is_file() and p.stat().st_size >= 16 and p.read_bytes()[:16] == b"SQLite format 3\x00":
            out.append(p)
    return out


def error_code(r: Run) -> str | None:
    """The coded error of a failed run: from its JSON, or the `[code]` that ends its stderr (an
    error before the payment flow, such as opening the ledger)."""
    if r.stdout.strip().startswith("{"):
        return (r.data or {}).get("error", {}).get("code")
    m = re.search(r"\[([a-z0-9_.]+)\]\s*$", r.stderr)
    return m.group(1) if m else None


def assert_no_password(*runs: Run) -> None:
    for r in runs:
        assert PASSWORD not in r.stdout and PASSWORD not in r.stderr, str(r)


# ---- Must show 1: six machines, 36 paid fetches, one daily budget of 0.15 ------------------------

def test_six_machines_share_one_daily_budget(world, purse_bin, pg_db, tmp_path):
    key, address = new_key(world, 100_000_000)
    machines = [Machine(purse_bin, world, tmp_path / f"machine{i}", key, pg_db, f"machine-{i}", dailyBudget="0.15")
                for i in range(6)]
    t0 = time.monotonic()
    results = race_fetches(machines, world["sellerUrl"] + "/weather", 6)
    print(f"\n36 fetches from 6 machines in {time.monotonic() - t0:.1f} s")
    assert len(results) == 36
    paid = [r for r in results if r.rc == EXIT_OK]
    refused = [r for r in results if r.rc == EXIT_REFUSED]
    assert len(paid) == 15 and len(refused) == 21, "\n\n".join(map(str, [r for r in results if r.rc not in (EXIT_OK, EXIT_REFUSED)][:3]))
    for r in refused:
        assert r.data["error"]["code"] == "budget.daily_exceeded", str(r)
    logs = transfer_logs(world, address)
    assert len(logs) == 15 and chain_amounts(logs) == [10000] * 15
    assert {r.data["payment"]["transaction"].lower() for r in paid} == chain_tx_hashes(logs)

    # spend-log and budget, from any machine, agree with the chain.
    for m in (machines[0], machines[3], machines[5]):
        log = m.run("spend-log", "--format", "json")
        assert log.rc == 0, str(log)
        rows = payments_of(log.data)
        settled = [x for x in rows if row_status(x) == "settled"]
        assert len(settled) == 15 and {row_tx(x) for x in settled} == chain_tx_hashes(logs), [row_status(x) for x in rows]
        assert all(row_status(x) in ("settled", "failed") for x in rows)
        budget = m.run("budget", "--json")
        assert budget.rc == 0, str(budget)
        assert "0.15" in budget.stdout, budget.stdout
        assert_no_password(log, budget)
    # Six sessions, one per machine label, each with its machine and process recorded.
    labels = psql(pg_db, "SELECT string_agg(DISTINCT label, ',' ORDER BY label) FROM session WHERE kind = 'fetch'")
    assert labels == ",".join(f"machine-{i}" for i in range(6))
    assert psql(pg_db, "SELECT count(*) FROM session WHERE machine IS NULL OR pid <= 0") == "0"
    assert_no_password(*results)
    # No SQLite file anywhere: the ledger is the database.
    assert sqlite_files(tmp_path) == []
    settle_clock(world)


# ---- Must show 2: 10,000 reservations from 16 processes, 0 over budget ---------------------------

def start_workers(location: str, procs: int, attempts: int, limit: int) -> list[subprocess.Popen]:
    """`procs` purse-bench ledger workers on `location`, each past its start barrier (connected,
    session started), not yet reserving."""
    workers = []
    for _ in range(procs):
        workers.append(subprocess.Popen([str(bench_bin()), "ledger-worker", location, str(attempts), str(limit)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for w in workers:
        line = w.stdout.readline()
        assert line.strip() == "ready", (line, w.stderr.read() if w.poll() is not None else "")
    return workers


def finish_workers(workers: list[subprocess.Popen], timeout: float = 300) -> list[dict]:
    out = []
    try:
        for w in workers:
            stdout, stderr = w.communicate(timeout=timeout)
            assert w.returncode == 0, stderr
            out.append(json.loads(stdout.strip().splitlines()[-1]))
    finally:
        for w in workers:
            stop_process(w)
    return out


def test_ten_thousand_reservations_from_sixteen_processes(pg_db):
    procs, attempts, amount = 16, 625, 10
    limit = 9_000 * amount  # admits 9,000 of the 10,000
    workers = start_workers(pg_db, procs, attempts, limit)
    t0 = time.monotonic()
    for w in workers:
        w.stdin.write("go\n")
        w.stdin.flush()
    results = finish_workers(workers)
    took = time.monotonic() - t0
    ok = sum(r["ok"] for r in results)
    refused = sum(r["refused"] for r in results)
    errors = sum(r["errors"] for r in results)
    worst = max(float(r["worst_ms"]) for r in results)
    print(f"\n10,000 reservations from 16 processes in {took:.1f} s: {ok} reserved, {refused} refused, "
          f"{ok / took:.0f} reservations/s, worst wait {worst:.1f} ms")
    assert errors == 0, [r.get("first_error") for r in results if r["errors"]]
    assert (ok, refused) == (9_000, 1_000)
    total = int(psql(pg_db, "SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed'"))
    assert total == limit, f"{total - limit} micro-units over the budget"
    assert psql(pg_db, "SELECT count(*) FROM payment") == "9000"
    assert psql(pg_db, "SELECT count(*) FROM session WHERE kind = 'bench'") == "16"
    # The running totals the reservations checked equal the rows, per minute and per session.
    assert int(psql(pg_db, "SELECT COALESCE(SUM(micros), 0) FROM budget_minute")) == limit
    assert psql(pg_db, """SELECT count(*) FROM session s WHERE s.spent_micros <>
                          (SELECT COALESCE(SUM(micros), 0) FROM payment p WHERE p.session_id = s.id AND p.status <> 'failed')""") == "0"


# ---- Must show 3: PostgreSQL restarted in the middle of the race ----------------------------------

def test_postgres_restart_mid_race_refuses_clearly_never_pays_twice(world, purse_bin, pg_db, tmp_path):
    cluster_dir = os.environ.get("PURSE_TEST_PG_DIR")
    assert cluster_dir, "PURSE_TEST_PG_DIR names the cluster to restart"
    key, address = new_key(world, 100_000_000)
    machines = [Machine(purse_bin, world, tmp_path / f"machine{i}", key, pg_db, f"machine-{i}", dailyBudget="0.15")
                for i in range(4)]
    url = world["sellerUrl"] + "/weather"
    results: list[Run] = []
    lock = threading.Lock()
    begin_restart = threading.Event()   # set after the 4th result: payments are under way
    restart_done = threading.Event()
    restart_errors: list[str] = []

    def restarter():
        if not begin_restart.wait(120):
            restart_errors.append("the race never reached 4 results")
            return
        p = subprocess.run([str(REPO / "scripts" / "pg-cluster"), "restart", cluster_dir], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            restart_errors.append(p.stderr)
        restart_done.set()

    def machine(m: Machine):
        # Fetch without pause through the restart, then twice more once the server is back
        # (bounded: 20 fetches at most per machine).
        after = 0
        for _ in range(20):
            r = m.fetch(url)
            with lock:
                results.append(r)
                if len(results) >= 4:
                    begin_restart.set()
            if restart_done.is_set():
                after += 1
                if after > 2:
                    return

    threads = [threading.Thread(target=restarter, name="restarter")]
    threads += [threading.Thread(target=machine, args=(m,), name=f"machine-{i}") for i, m in enumerate(machines)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "still running"
    assert restart_done.is_set() and not restart_errors, restart_errors
    paid = [r for r in results if r.rc == EXIT_OK]
    other = [r for r in results if r.rc != EXIT_OK]
    codes = {}
    for r in other:
        codes[error_code(r)] = codes.get(error_code(r), 0) + 1
    print(f"\nrestart mid-race: {len(paid)} paid, refusals by code {codes}")
    # Every refusal is a clear, coded one: the budget, or the ledger being away.
    allowed = {"budget.daily_exceeded", "ledger.unavailable", "ledger.connection_lost", "ledger.commit_unknown"}
    assert set(codes) <= allowed, "\n\n".join(map(str, other[:3]))
    assert any(c != "budget.daily_exceeded" for c in codes), f"the restart refused nothing: {codes}"

    rec = machines[1].run("reconcile")
    assert rec.rc == 0, str(rec)
    logs = transfer_logs(world, address)
    hashes = chain_tx_hashes(logs)
    assert len(logs) == len(hashes) <= 15, "over budget or paid twice"
    assert chain_amounts(logs) == [10000] * len(logs)
    log = machines[2].run("spend-log", "--format", "json")
    assert log.rc == 0, str(log)
    rows = payments_of(log.data)
    assert {row_tx(x) for x in rows if row_status(x) == "settled"} == hashes, "ledger = chain after reconcile"
    assert {r.data["payment"]["transaction"].lower() for r in paid} <= hashes
    assert not [x for x in rows if row_status(x) in ("sent", "unknown")], [row_status(x) for x in rows]
    settle_clock(world)


# ---- Must show 4: purse ledger copy of 10,000 rows, exact and re-runnable ------------------------

def spend_log_doc(r: Run) -> dict:
    """A spend-log JSON document without its generation time (the one field that differs between runs)."""
    assert r.rc == 0, str(r)[:2000]
    doc = dict(r.data)
    doc.pop("generatedAt", None)
    return doc


def make_sqlite_history(purse_bin: Path, db: Path, home: Path, rows: int) -> None:
    """A SQLite ledger with `rows` payments of every status, written by purse's own schema (a
    `purse budget` opens and migrates it) and filled directly, in one transaction."""
    env = base_env(home)
    r = run_purse(purse_bin, ["budget", "--json"], env, db=db)
    assert r.rc == 0, str(r)
    con = sqlite3.connect(db)
    try:
        t = 1_795_000_000_000
        con.execute("INSERT INTO session (id, started_at, kind, label, client_name, pid, machine) VALUES (?, ?, 'serve', ?, ?, ?, ?)",
                    ("s_copycopycopy", t, "history", "claude-code", 4242, "old-laptop"))
        statuses = ["settled", "settled", "settled", "failed", "unknown", "sent", "reserved"]
        payer, pay_to = "0x857b06519E91e3A54538791bDbb0E22373e36b66", "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
        token = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
        data = []
        for i in range(rows):
            st = statuses[i % len(statuses)]
            upto = i % 11 == 0
            data.append((
                "s_copycopycopy", t + i * 1000, t + i * 1000 + 500, "GET", f"https://api{i % 5}.example.com/r/{i}",
                f"api{i % 5}.example.com", "eip155:84532", token, "USDC", 6, pay_to, 1000 + i, 1000 + i,
                "upto" if upto else "exact", 2, "0x" + f"{i:064x}", 1_795_000_600 + i, st,
                ("0x" + f"{i:064x}") if st == "settled" else None, payer, "declined" if st == "failed" else None,
                200 if st == "settled" else None, f"pay_{i:032d}" if i % 3 == 0 else None, f"https://api{i % 5}.example.com/r/{i}",
                '{"verified":true}' if i % 4 == 0 else None, '{"x402Version":2}' if st != "reserved" else None,
                '{"verified":true}' if st == "settled" else None, "permit2" if upto else "eip3009", 5000 + i if upto else None,
                "receipt" if upto and st == "settled" else None, None))
        con.executemany("""INSERT INTO payment (session_id, created_at, updated_at, method, url, host, network, asset, asset_symbol,
            decimals, pay_to, amount_atomic, micros, scheme, x402_version, nonce, valid_before, status, tx_hash, payer, error,
            http_status, payment_id, resource, offer, signed_payload, receipt, authorization_kind, max_amount_atomic, amount_source,
            amount_note) VALUES (""" + ", ".join("?" * 31) + ")", data)
        con.execute("""INSERT INTO approval (id, session_id, created_at, expires_at, status, method, url, host, network, asset,
            asset_symbol, decimals, pay_to, payer, amount_atomic, micros, payment_flow) VALUES
            ('apr_0123456789abcdef01234567', 's_copycopycopy', ?, ?, 'denied', 'GET', 'https://api0.example.com/x', 'api0.example.com',
             'eip155:84532', ?, 'USDC', 6, ?, ?, 70000, 70000, 'authorization')""", (t, t + 300_000, token, pay_to, payer))
        con.commit()
    finally:
        con.close()


def test_ledger_copy_of_ten_thousand_rows_is_exact_and_rerunnable(purse_bin, pg_db, tmp_path):
    db = tmp_path / "old.db"
    make_sqlite_history(purse_bin, db, tmp_path, 10_000)
    env = base_env(tmp_path)
    before = run_purse(purse_bin, ["spend-log", "--format", "json"], env, db=db, record=False)
    assert before.rc == 0 and len(payments_of(before.data)) == 10_000, str(before)[:2000]

    t0 = time.monotonic()
    first = run_purse(purse_bin, ["ledger", "copy", "--from", str(db), "--to", pg_db], env, record=False)
    took = time.monotonic() - t0
    assert first.rc == 0, str(first)
    assert "10000 payments, 1 sessions, 1 approvals" in first.stdout, first.stdout
    print(f"\nledger copy of 10,000 rows: {took:.1f} s")

    after = run_purse(purse_bin, ["spend-log", "--format", "json"], env, db=pg_db, record=False)
    assert spend_log_doc(after) == spend_log_doc(before), "spend-log JSON differs after the copy"

    again = run_purse(purse_bin, ["ledger", "copy", "--from", str(db), "--to", pg_db], env, record=False)
    assert again.rc == 0, str(again)
    assert "0 payments, 0 sessions, 0 approvals" in again.stdout and "identical: 10000 payments" in again.stdout, again.stdout
    assert spend_log_doc(run_purse(purse_bin, ["spend-log", "--format", "json"], env, db=pg_db, record=False)) == spend_log_doc(before)
    # New reservations continue after the copied ids.
    assert psql(pg_db, "SELECT nextval(pg_get_serial_sequence('payment', 'id'))") == "10001"

    # A target holding a different history is refused, and nothing more is written.
    psql(pg_db, "UPDATE payment SET micros = micros + 1 WHERE id = 5000")
    conflict = run_purse(purse_bin, ["ledger", "copy", "--from", str(db), "--to", pg_db], env, record=False)
    assert conflict.rc != 0 and "ledger.copy_conflict" in conflict.stdout + conflict.stderr, str(conflict)
    assert "payment 5000" in conflict.stdout + conflict.stderr


# ---- Every subcommand on PostgreSQL: serve, quote, report, approvals/approve/deny, doctor --------

def serve_mcp(m: Machine) -> "PurseMCP":
    """`purse serve` of machine `m` under the official MCP Python client, without elicitation (so a
    payment above confirmAbove waits for `purse approve` at a terminal)."""
    from mcp_driver import PurseMCP
    return PurseMCP([str(m.bin), "serve", "--config", str(m.config)], m.env, read_timeout=60)


def run_async(coro, timeout: float = 90):
    import asyncio
    return asyncio.run(asyncio.wait_for(coro, timeout))


def structured(res: dict) -> dict:
    """A tool result's JSON: structuredContent, or (for an error result) its text."""
    return result_json(res) or {}


def test_serve_paid_fetch_records_in_postgres(world, purse_bin, pg_db, tmp_path):
    key, address = new_key(world, 10_000_000)
    m = Machine(purse_bin, world, tmp_path / "agent", key, pg_db, "claude-on-box-1")

    async def go():
        async with serve_mcp(m) as s:
            return await s.call("paid_fetch", {"url": world["sellerUrl"] + "/weather"})

    res = run_async(go())
    d = structured(res)
    assert not res["isError"] and d["outcome"] == "paid" and d["paid"] is True, res
    tx = d["payment"]["transaction"].lower()
    logs = transfer_logs(world, address)
    assert chain_tx_hashes(logs) == {tx} and chain_amounts(logs) == [10000]
    # The row and the serve session are in the shared database, and another machine sees them.
    assert psql(pg_db, "SELECT status || ' ' || lower(tx_hash) FROM payment") == f"settled {tx}"
    assert psql(pg_db, "SELECT kind || ' ' || label FROM session WHERE kind = 'serve'") == "serve claude-on-box-1"
    other = Machine(purse_bin, world, tmp_path / "laptop", key, pg_db, "laptop")
    log = other.run("spend-log", "--format", "json")
    assert log.rc == 0, str(log)
    assert [(row_status(x), row_tx(x)) for x in payments_of(log.data)] == [("settled", tx)]
    assert_no_password(log)
    assert PASSWORD not in res.get("text", "")
    assert sqlite_files(tmp_path) == []


def test_quote_and_report_on_postgres(world, purse_bin, pg_db, tmp_path):
    key, address = new_key(world, 10_000_000)
    m = Machine(purse_bin, world, tmp_path / "m", key, pg_db, "reporter")
    # quote: every option judged against the shared budget, nothing reserved or paid.
    q = m.run("quote", world["sellerUrl"] + "/weather", "--json")
    assert q.rc == EXIT_OK, str(q)
    assert q.data["wouldPay"] is True and q.data["chosen"] == 0 and q.data["refusal"] is None, str(q)
    assert psql(pg_db, "SELECT count(*) FROM payment") == "0"
    assert transfer_logs(world, address) == []
    # With the shared daily budget spent by another machine, quote on this one says no.
    tight = Machine(purse_bin, world, tmp_path / "tight", key, pg_db, "tight", dailyBudget="0.01")
    paid = tight.fetch(world["sellerUrl"] + "/weather")
    assert paid.rc == EXIT_OK, str(paid)
    refused = tight.run("quote", world["sellerUrl"] + "/weather", "--json")
    assert refused.data["wouldPay"] is False and refused.data["refusal"]["code"] == "budget.daily_exceeded", str(refused)
    # report: one HTML page from the database, the payment in it.
    out = tmp_path / "report.html"
    r = m.run("report", "--out", str(out))
    assert r.rc == EXIT_OK and r.stdout.strip() == str(out), str(r)
    assert (out.stat().st_mode & 0o777) == 0o600
    html = out.read_text()
    tx = paid.data["payment"]["transaction"]
    assert html.lstrip().lower().startswith("<!doctype html") and tx.lower() in html.lower(), html[:500]
    assert PASSWORD not in html
    assert_no_password(q, paid, refused, r)
    assert sqlite_files(tmp_path) == []


def test_approvals_approve_deny_across_machines_on_postgres(world, purse_bin, pg_db, tmp_path):
    """The agent's serve on one machine asks; a human on another machine of the fleet lists,
    approves and denies through the same database; the approved retry pays once."""
    key, address = new_key(world, 10_000_000)
    agent = Machine(purse_bin, world, tmp_path / "agent", key, pg_db, "agent", confirmAbove="0.005")
    human = Machine(purse_bin, world, tmp_path / "human", key, pg_db, "human", confirmAbove="0.005")
    url = world["sellerUrl"] + "/weather"

    async def ask_twice():
        async with serve_mcp(agent) as s:
            return [await s.call("paid_fetch", {"url": url}) for _ in range(2)]

    asked = run_async(ask_twice())
    tickets = [structured(r).get("approval", {}) for r in asked]
    assert all(structured(r).get("outcome") == "approval_required" for r in asked), asked
    approve_id, deny_id = tickets[0]["id"], tickets[1]["id"]
    assert transfer_logs(world, address) == []

    listed = human.run("approvals", "--json")
    assert listed.rc == EXIT_OK, str(listed)
    assert sorted(a["id"] for a in listed.data["approvals"]) == sorted([approve_id, deny_id])
    assert all(a["state"] == "pending" for a in listed.data["approvals"])
    ok = human.run("approve", approve_id, "--yes")
    assert ok.rc == EXIT_OK and "0.01 USDC" in ok.stdout, str(ok)
    no = human.run("deny", deny_id)
    assert no.rc == EXIT_OK, str(no)
    assert human.run("approvals", "--json").data["approvals"] == []
    states = {a["id"]: a["state"] for a in human.run("approvals", "--all", "--json").data["approvals"]}
    assert states == {approve_id: "approved", deny_id: "denied"}, states

    async def retry():
        async with serve_mcp(agent) as s:
            return [await s.call("paid_fetch", {"url": url, "approval_id": i}) for i in (approve_id, deny_id, approve_id)]

    paid, denied, reused = run_async(retry())
    assert structured(paid).get("outcome") == "paid", paid
    assert structured(denied).get("error", {}).get("code") == "approval.denied" and denied["isError"], denied
    assert structured(reused).get("error", {}).get("code") == "approval.reused" and reused["isError"], reused
    logs = transfer_logs(world, address)
    assert chain_tx_hashes(logs) == {structured(paid)["payment"]["transaction"].lower()}
    assert psql(pg_db, f"SELECT status FROM approval WHERE id = '{approve_id}'") == "used"
    assert_no_password(listed, ok, no)
    assert sqlite_files(tmp_path) == []


def test_doctor_checks_the_postgres_ledger_and_advises_for_a_url(world, purse_bin, pg_db, tmp_path):
    key, _ = new_key(world, 1_000_000)
    m = Machine(purse_bin, world, tmp_path / "m", key, pg_db, "doctor")
    good = m.run("doctor", "--json")
    ledger = {c["id"]: c for c in good.data["checks"]}["ledger"]
    assert ledger["status"] == "ok" and re.search(r"postgresql schema v\d+, integrity ok, writable", ledger["detail"]), ledger

    # The server is not there: the fix is about the server, the password variable and TLS, not a path.
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = json.loads(m.config.read_text())
    cfg["db"] = f"postgresql://purse@127.0.0.1:{port}/fleet?connect_timeout=2"
    m.config.write_text(json.dumps(cfg))
    bad = m.run("doctor")
    assert bad.rc != 0
    print("\n" + bad.stdout)
    lines = bad.stdout.splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("✗ ledger"))
    line, fix = lines[i], lines[i + 1]
    assert "ledger.unavailable" in line, bad.stdout
    assert "fix:" in fix and "writable path" not in fix and "pg_isready -h 127.0.0.1" in fix, fix
    assert "sslmode" in fix, fix
    # The password variable is set here: the advice names it, never its value.
    assert f"held in {PASSWORD_VAR}" in fix, fix
    # Without it in this shell, the advice says to export it.
    unset = run_purse(m.bin, ["doctor"], {k: v for k, v in m.env.items() if k != PASSWORD_VAR}, config=m.config)
    assert f"export {PASSWORD_VAR}" in unset.stdout, unset.stdout
    assert_no_password(good, bad, unset)


# ---- libpq is loaded only for a PostgreSQL ledger ---------------------------------------------------

def idle_serve_libraries(purse_bin: Path, home: Path, db: str) -> set[str]:
    """The shared libraries an idle `purse serve` (initialized, no tool called) has mapped."""
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "PURSE_DB": db,
           "PURSE_CONFIG": str(home / "no-config.json"), "PURSE_PRIVATE_KEY": "0x" + "11" * 32}
    p = subprocess.Popen([str(purse_bin), "serve", "--no-reconcile"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=env)
    try:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "maps", "version": "1"}}}
        p.stdin.write((json.dumps(init) + "\n").encode())
        p.stdin.flush()
        assert json.loads(p.stdout.readline())["id"] == 1
        # A request answered after the initialize: the start-up (ledger opened) is over.
        p.stdin.write(b'{"jsonrpc":"2.0","id":2,"method":"ping"}\n')
        p.stdin.flush()
        assert json.loads(p.stdout.readline())["id"] == 2
        maps = Path(f"/proc/{p.pid}/maps").read_text()
        return {os.path.basename(line.split()[-1]) for line in maps.splitlines() if ".so" in line.split()[-1]}
    finally:
        p.stdin.close()
        p.wait(10)


def test_a_sqlite_ledger_never_loads_libpq_and_a_url_does(purse_bin, pg_db, tmp_path):
    sqlite_libs = idle_serve_libraries(purse_bin, tmp_path / "sqlite", str(tmp_path / "sqlite" / "purse.db"))
    assert not any(lib.startswith("libpq.") for lib in sqlite_libs), sorted(sqlite_libs)
    pg_libs = idle_serve_libraries(purse_bin, tmp_path / "pg", pg_db)
    assert any(lib.startswith("libpq.so") for lib in pg_libs), sorted(pg_libs)
