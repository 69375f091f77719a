"""`purse report` rendered in headless Chromium (issue "report").

The browser checks are proved able to fail first (a page with a script error, a page that
fetches a stylesheet, a blank page), then applied to real reports: after the demo's payment
through `purse serve`, a v1 payment, one refused by the facilitator (released), one refused by
the policy (never recorded) and an unknown one, every figure the page shows equals
`purse spend-log --format json`; an empty ledger; 100,000 rows (time printed, size asserted).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import time
from decimal import Decimal
from pathlib import Path

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import EXIT_OK, EXIT_PAYMENT, EXIT_REFUSED, PurseCLI, base_config, payments_of
from report_browser import ReportDOM, chromium, decode_png, describe, dump_dom, render

# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401

pytestmark = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (scripts/bootstrap --browser)")

TWO_MIB = 2 * 1024 * 1024


# ---- the checks themselves can fail ------------------------------------------------------------

def test_console_check_catches_a_script_error_and_a_blocked_fetch(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><p>x</p><script>definitelyNotDefined();</script>")
    shot = render(bad)
    assert any("definitelyNotDefined is not defined" in line for line in shot.console), shot.console
    # The report's own policy: an external stylesheet is blocked, and the block is a console error.
    fetching = tmp_path / "fetching.html"
    fetching.write_text("<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        "style-src 'unsafe-inline'\"><link rel=\"stylesheet\" href=\"http://192.0.2.1/x.css\"><p>x</p>")
    _, console, _ = dump_dom(fetching)
    assert any("Content Security Policy" in line for line in console), console
    assert ReportDOM.parse(fetching.read_text()).fetched == ["link href=http://192.0.2.1/x.css"]
    good = tmp_path / "good.html"
    good.write_text("<!doctype html><p style=\"color:#0072B2\">fine</p>")
    assert render(good).console == []


def test_blank_check_catches_a_blank_page(tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><html><body></body></html>")
    pic = describe(decode_png(render(blank).png))
    assert pic.colours == 1 and pic.ink_fraction == 0 and pic.settled_pixels == 0, pic


def test_fetch_scan_catches_every_kind_of_fetch():
    for snippet, expect in [
        ('<img src="https://t.example/p.gif">', "img src="), ("<style>@import 'x.css';</style>", "@import"),
        ('<div style="background:url(//cdn.example/b.png)">', "url("), ('<link rel="stylesheet" href="x.css">', "link href="),
        ('<svg><image href="http://x.example/i.png"/></svg>', "image href="),
    ]:
        fetched = ReportDOM.parse(f"<html><body>{snippet}</body></html>").fetched
        assert fetched and fetched[0].startswith(expect), (snippet, fetched)
    ok = ReportDOM.parse('<a href="https://basescan.org/tx/0x1">t</a><rect fill="url(#pending-hatch)"/>')
    assert ok.fetched == [] and ok.links == ["https://basescan.org/tx/0x1"]


# ---- helpers -----------------------------------------------------------------------------------

def write_report(p: PurseCLI, out: Path, *extra: str) -> tuple[float, Path]:
    t = time.monotonic()
    r = p.run("report", "--out", str(out), *extra, timeout=120)
    took = time.monotonic() - t
    assert r.rc == EXIT_OK, str(r)
    assert r.stdout.strip() == str(out), str(r)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    return took, out


def check_in_browser(path: Path, label: str, *, bars_visible: bool = False) -> ReportDOM:
    """Renders `path`: no console message, a picture that is not blank (with `bars_visible`, the
    settled-blue bars are in the first screen), and the DOM's figures."""
    shot = render(path)
    assert shot.console == [], shot.console
    pic = describe(decode_png(shot.png))
    print(f"\n{label}: chromium screenshot {shot.seconds:.2f} s, {pic.colours} colours, "
          f"{pic.ink_fraction:.1%} ink, {pic.settled_pixels} settled-blue pixels")
    assert pic.colours > 50 and pic.ink_fraction > 0.02, pic
    if bars_visible:
        assert pic.settled_pixels > 100, pic
    dom_html, console, took = dump_dom(path)
    assert console == [], console
    print(f"{label}: chromium --dump-dom {took:.2f} s")
    dom = ReportDOM.parse(dom_html)
    assert dom.fetched == [], dom.fetched
    file_dom = ReportDOM.parse(path.read_text())
    assert file_dom.fetched == [], file_dom.fetched
    return dom


def D(text: str | None) -> Decimal:
    return Decimal(text or "0")


def assert_same_figures(dom: ReportDOM, log: dict, *, all_rows: bool = True, rolling: bool = True) -> None:
    """Every figure of the page equals spend-log's JSON for the same window. With `rolling`
    false, the 24-hour gauges are compared by their limits only: when payments are spread
    evenly over the last day, the rolling window moves between the two commands' runs."""
    t = log["totals"]
    assert D(dom.cards["total-settled"]) == D(t["settled"])
    assert D(dom.cards["total-pending"]) == D(t["pending"])
    assert D(dom.cards["total-released"]) == D(t["released"])
    assert int(dom.cards["total-count"]) == len(log["payments"]) or not all_rows
    by_host = {h["host"]: h for h in t["byHost"]}
    # Large ledgers list the 25 largest hosts and sessions (the rest summed in one row).
    assert set(dom.by_host) == set(by_host) if all_rows else set(dom.by_host) < set(by_host)
    for host, row in dom.by_host.items():
        h = by_host[host]
        for k in ("settled", "pending", "released"):
            assert D(row[k]) == D(h[k]), (host, k, row, h)
        assert row["count"] == h["count"]
    by_session = {s["sessionID"]: s for s in t["bySession"]}
    assert set(dom.by_session) == set(by_session) if all_rows else set(dom.by_session) <= set(by_session)
    for sid, row in dom.by_session.items():
        for k in ("settled", "pending", "released"):
            assert D(row[k]) == D(by_session[sid][k]), (sid, k)
    # The bars add up to the totals.
    assert sum(D(b["settled"]) for b in dom.buckets) == D(t["settled"])
    assert sum(D(b["pending"]) for b in dom.buckets) == D(t["pending"])
    # Budget gauges: the same limits and, where something accumulates, the same spent.
    if log["budget"]:
        lines = {(ln["limit"], ln["host"]): ln for ln in log["budget"]["lines"]}
        gauges = {(g["limit"], g.get("host")): g for g in dom.gauges}
        for key, ln in lines.items():
            if key[0] == "session":
                continue  # the report adds the latest session's gauge; spend-log has it only with --session
            g = gauges[key]
            assert D(g["limit-amount"]) == D(ln["limitAmount"]), key
            if key[0] != "perRequest" and rolling:
                assert D(g["used"]) == D(ln["spent"]) and D(g["left"]) == D(ln["left"]), key
    # Rows: every payment listed is the ledger's, with its status, amount, host and transaction.
    by_id = {p["id"]: p for p in log["payments"]}
    for pid, row in dom.payments.items():
        p = by_id[pid]
        assert row["status"] == p["status"] and row["host"] == p["host"] and row["network"] == p["network"], (row, p)
        assert D(row["amount"]) == D(p["micros"]) / 10**6, (row, p)
        assert row.get("tx") == p["txHash"], (row, p)
    if all_rows:
        assert set(dom.payments) == set(by_id)


# ---- the report after real payments ------------------------------------------------------------

def test_report_after_demo_v1_refused_and_unknown_payments(world, purse, tmp_path):
    # Generous limits so that /expensive (200 USDC) passes the policy and the facilitator refuses it.
    p = purse(base_config(world, maxPerRequest="300", sessionBudget="300", dailyBudget="300"))
    seller = world["sellerUrl"]

    # The demo's payment: paid_fetch through `purse serve` under the official MCP client.
    async def serve_pays():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            return await s.call("paid_fetch", {"url": seller + "/weather"})

    res = asyncio.run(asyncio.wait_for(serve_pays(), 120))
    assert not res["isError"] and res["data"]["outcome"] == "paid", res
    demo_tx = res["data"]["payment"]["transaction"]

    v1 = p.fetch(seller + "/v1/weather")
    assert v1.rc == EXIT_OK and v1.data["payment"]["status"] == "settled", str(v1)
    refused = p.fetch(seller + "/expensive")  # signed, then refused by the facilitator: released
    assert refused.rc == EXIT_PAYMENT and refused.data["outcome"] == "failed", str(refused)
    by_policy = p.fetch(seller + "/weather", "--max-price", "0.001")  # refused before signing: no row at all
    assert by_policy.rc == EXIT_REFUSED, str(by_policy)
    unknown = p.fetch(seller + "/fail-after-payment")  # signed and sent, no settlement: unknown
    assert unknown.rc == EXIT_PAYMENT and unknown.data["outcome"] == "unknown", str(unknown)

    log = p.spend_log_json()
    rows = {r["status"]: r for r in payments_of(log)}
    assert sorted(r["status"] for r in log["payments"]) == ["failed", "settled", "settled", "unknown"], log["payments"]

    _, out = write_report(p, tmp_path / "report.html")
    dom = check_in_browser(out, "report after real payments", bars_visible=True)
    assert_same_figures(dom, log)

    # Each payment in its place.
    settled_ids = [r["id"] for r in log["payments"] if r["status"] == "settled"]
    v1_row = next(r for r in log["payments"] if r["x402Version"] == 1)
    assert dom.payments[v1_row["id"]]["version"] == "1" and dom.payments[v1_row["id"]]["status"] == "settled"
    assert any(dom.payments[i]["tx"].lower() == demo_tx.lower() for i in settled_ids)
    # The unknown one is highlighted in the attention box, with what to do; the released one is not there.
    assert set(dom.attention) == {rows["unknown"]["id"]}
    assert dom.attention[rows["unknown"]["id"]]["class"] == "unknown"
    assert "purse reconcile" in dom.attention_text and "1 payment not resolved (1 unknown)" in dom.attention_text
    assert dom.payments[rows["unknown"]["id"]]["class"] == "unknown"
    assert dom.payments[rows["failed"]["id"]]["status"] == "failed"
    assert D(dom.cards["total-released"]) == Decimal(200)  # refused by the facilitator: released, not spent
    assert D(dom.cards["total-settled"]) == Decimal("0.02") and D(dom.cards["total-pending"]) == Decimal("0.01")
    # The policy refusal left no row: four payments, not five.
    assert len(dom.payments) == 4
    # The local chain (84532 served on 127.0.0.1) links to no explorer.
    assert dom.links == [], dom.links
    assert "(local)" in dom.text
    # Today and the last 7 days are the window's settled + pending.
    assert D(dom.cards["today"]) == Decimal("0.03") and D(dom.cards["last-7-days"]) == Decimal("0.03")

    # The same with --since and --session: the page equals spend-log with the same flags.
    for flags in (["--since", "1d"], ["--session", "last"]):
        _, out2 = write_report(p, tmp_path / f"report{flags[0]}.html", *flags)
        assert_same_figures(ReportDOM.parse(out2.read_text()), p.spend_log_json(*flags))


def test_report_of_an_empty_ledger_is_friendly(world, purse, tmp_path):
    p = purse(fund=0)
    _, out = write_report(p, tmp_path / "empty.html")
    dom = check_in_browser(out, "empty report")
    assert "No payments yet." in dom.text
    assert dom.cards["total-settled"] == "0" and dom.cards["total-count"] == "0"
    assert dom.payments == {} and dom.links == []
    assert {g["limit"] for g in dom.gauges} == {"perRequest", "daily"}


def test_report_of_100k_rows_is_bounded(world, purse, tmp_path):
    p = purse()
    r = p.fetch(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_OK, str(r)
    grow_ledger(p.db_path, 100_000)
    took, out = write_report(p, tmp_path / "big.html")
    size = out.stat().st_size
    print(f"\n100,000 rows: purse report (debug build) {took:.2f} s, {size / 1024:.0f} KiB")
    assert size < TWO_MIB, size
    # spend-log's JSON of 100,000 payments is about 90 MB; a debug build on a shared machine
    # takes up to a minute to write it.
    r = p.run("spend-log", "--format", "json", timeout=400)
    assert r.rc == EXIT_OK, str(r)[:2000]
    log = r.data
    assert len(log["payments"]) == 100_000
    dom = check_in_browser(out, "100,000-row report", bars_visible=True)
    assert_same_figures(dom, log, all_rows=False, rolling=False)
    assert dom.capped == {"shown": 1000, "total": 100_000}
    assert len(dom.payments) == 1000 and int(dom.cards["total-count"]) == 100_000


def grow_ledger(db: Path, n: int) -> None:
    """Copies the ledger's one real payment to `n` rows over 90 days, hosts, sessions and statuses
    (SQL straight into the file: the ledger's API would take an fsync per row)."""
    con = sqlite3.connect(db)
    try:
        cols = [c[1] for c in con.execute("PRAGMA table_info(payment)") if c[1] != "id"]
        row = dict(zip(cols, con.execute(f"SELECT {', '.join(cols)} FROM payment").fetchone()))
        sess = dict(zip([c[1] for c in con.execute("PRAGMA table_info(session)")], con.execute("SELECT * FROM session").fetchone()))
        now_ms = int(time.time() * 1000)
        sessions = []
        for i in range(40):
            s = dict(sess, id=f"s_bulk{i:08d}", started_at=now_ms - (40 - i) * 2 * 86_400_000, pid=100 + i)
            sessions.append(s["id"])
            con.execute(f"INSERT INTO session ({', '.join(s)}) VALUES ({', '.join('?' * len(s))})", list(s.values()))
        hosts = [f"seller-{i}.example.com" for i in range(120)] + ["mcp:weather", "mcp:search"]
        statuses = ["settled"] * 8 + ["failed", "unknown"]

        def rows():
            for i in range(n - 1):
                status = statuses[i % len(statuses)]
                created = now_ms - (i * 90 * 86_400_000) // n - 1000
                yield dict(row, session_id=sessions[i % len(sessions)], created_at=created, updated_at=created + 500,
                           host=hosts[i % len(hosts)], amount_atomic=1000 + i % 9000, micros=1000 + i % 9000,
                           nonce="0x" + f"{i:064x}", status=status,
                           tx_hash=("0x" + f"{i + 1:064x}") if status == "settled" else None,
                           error=None if status == "settled" else "bulk")

        con.executemany(f"INSERT INTO payment ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        (list(r.values()) for r in rows()))
        con.commit()
    finally:
        con.close()


# ---- --open ------------------------------------------------------------------------------------

def test_open_hands_the_file_to_the_desktop_opener(world, purse, tmp_path):
    p = purse(fund=0)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\necho \"$1\" > {seen}\n")
    opener.chmod(0o755)
    out = tmp_path / "r.html"
    r = p.run("report", "--out", str(out), "--open", env=p.env(PATH=f"{bin_dir}:/usr/bin:/bin"))
    assert r.rc == EXIT_OK and seen.read_text().strip() == str(out), str(r)
    # No opener: the report is still written, and stderr says how to open it.
    out2 = tmp_path / "r2.html"
    r = p.run("report", "--out", str(out2), "--open", env=p.env(PATH=str(tmp_path / "nothing")))
    assert r.rc == EXIT_OK and out2.exists(), str(r)
    assert "no desktop opener" in r.stderr and str(out2) in r.stderr, str(r)


def test_unwritable_out_is_a_coded_error(world, purse, tmp_path):
    p = purse(fund=0)
    r = p.run("report", "--out", str(tmp_path / "missing-dir" / "r.html"))
    assert r.rc == 1 and "[report.write_failed]" in r.stderr, str(r)
    r = p.run("report", "--out", str(tmp_path))
    assert r.rc == 1 and "it is a directory" in r.stderr, str(r)
