#!/usr/bin/env python3
"""Prints the side-by-side performance table from purse-bench's and peers.py's JSON.

    report.py CLIENT.json E2E.json LEDGER.json PEERS.json [UPSTREAM.json]

Every number comes from the run that wrote those files (taken back to back on one machine).
"""

from __future__ import annotations

import json
import statistics
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def num(x):
    return float(x) if x is not None else float("nan")


def ratio(slow, fast):
    slow, fast = num(slow), num(fast)
    if fast <= 0:
        return "-"
    r = slow / fast
    # Two decimals near the >= 1.0x targets, so that 0.97 does not read as "1.0x".
    return f"{r:.2f}x" if r < 2 else f"{r:.1f}x"


def main() -> int:
    client, e2e, ledger, peers = (load(p) for p in sys.argv[1:5])
    rows: list[tuple[str, str, str, str, str]] = []

    def row(item, purse, peer="", r="", target=""):
        rows.append(tuple(str(x) for x in (item, purse, peer, r, target)))

    st = client["stages"]
    for name, s in st.items():
        row(f"  stage: {name}", f"{num(s['median']):.4f} / {num(s['p99']):.4f}")
    staged = client["same_stages_as_peer_ms"]
    # The peer times its stages back to back in one loop; Purse's tight loop does the same
    # (older client.json files have only the staged sum).
    same = client.get("same_stages_tight_loop_ms") or staged
    sdk = peers["sdk_client_work_ms"]
    shipped = peers.get("sdk_client_work_ms_as_shipped", {})
    row("client work, peer's stages timed as the peer's (ms, median / p99)", f"{num(same['median']):.4f} / {num(same['p99']):.4f}",
        f"{num(sdk['median']):.3f} (coincurve={sdk.get('coincurve')})", ratio(sdk["median"], same["median"]), "<= 0.04 ms, >= 9x")
    if same is not staged:
        row("  the same, sum of the stages above (ledger between them)", f"{num(staged['median']):.4f} / {num(staged['p99']):.4f}",
            "", ratio(sdk["median"], staged["median"]))
    if shipped:
        row("  vs the SDK as shipped (no coincurve)", "", f"{num(shipped['median']):.3f}", ratio(shipped["median"], same["median"]))
    dur = client["with_durable_reservation_ms"]
    row("client work + durable reservation (ms)", f"{num(dur['median']):.4f} / {num(dur['p99']):.4f}", "", "", "< 1 ms")
    inter = client.get("driver_in_memory_ms") or client["interceptor_in_memory_ms"]
    row("whole driver, in-memory transport (ms)", f"{num(inter['median']):.4f} / {num(inter['p99']):.4f}")

    upto = client.get("upto")
    if upto:
        # upto (Permit2 witness, max 0.05 settled at 0.0123) next to EIP-3009's numbers above.
        for name, s in upto["stages"].items():
            row(f"  upto stage: {name}", f"{num(s['median']):.4f} / {num(s['p99']):.4f}")
        u = upto["same_stages_as_peer_ms"]
        row("upto client work, same stages (ms)", f"{num(u['median']):.4f} / {num(u['p99']):.4f}", "", ratio(u["median"], staged["median"]) + " of EIP-3009's")
        u = upto["with_durable_reservation_and_settlement_ms"]
        row("upto + durable reservation + charge recorded (ms)", f"{num(u['median']):.4f} / {num(u['p99']):.4f}")
        u = upto["driver_in_memory_ms"]
        row("upto whole driver, in-memory transport and chain (ms)", f"{num(u['median']):.4f} / {num(u['p99']):.4f}")

    paid = e2e["purse_paid_request_ms"]
    floor = e2e["floor_two_plain_round_trips_ms"]
    verify = e2e["seller_verify_ms"]
    row("paid request vs fast local seller (ms)", f"{num(paid['median']):.3f} / {num(paid['p99']):.3f}",
        f"{num(peers['sdk_e2e_ms']['median']):.3f} (SDK httpx)", ratio(peers["sdk_e2e_ms"]["median"], paid["median"]))
    row("  floor: 2 plain round trips + seller verify (ms)",
        f"{num(floor['median']):.3f} + {num(verify['median']):.3f}",
        f"{num(peers['floor_two_rtt_ms']['median']):.3f} + {num(peers['seller_verify_ms']['median']):.3f}")
    row("  Purse / floor", e2e["ratio_to_floor_plus_verify"])
    if "floor_two_raw_socket_round_trips_ms" in e2e:
        rf = e2e["floor_two_raw_socket_round_trips_ms"]
        row("  the floor's 2 round trips without an HTTP library (one raw socket; ms)", f"{num(rf['median']):.3f} / {num(rf['p99']):.3f}")
    if "fsync_ms" in e2e:
        fs = e2e["fsync_ms"]
        row("  honest floor: the floor + one 4 KiB fdatasync on the ledger's disk, which took (ms)", f"{num(fs['median']):.3f} / {num(fs['p99']):.3f}")
        row("  Purse / honest floor", e2e["ratio_to_honest_floor"], "", "", "<= 1.3")
        if "reservation_log_sync_ms" in e2e:
            rs = e2e["reservation_log_sync_ms"]
            row("  the reservation's own fdatasync of the log (ms)", f"{num(rs['median']):.3f} / {num(rs['p99']):.3f}")
    if "seller_ms" in e2e:
        sm = e2e["seller_ms"]
        row("  seller's own time: plain / 402 offer / paid answer (ms)",
            f"{num(sm['plain']):.3f} / {num(sm['offer_402']):.3f} / {num(sm['paid_200']):.3f}")
        row("  seller's work beyond the floor (offer, paid request, receipt; ms)", f"{num(sm['extra_beyond_floor']):.3f}")
        row("  Purse's own time beyond both (ms), share of the honest floor",
            f"{num(e2e['purse_own_ms']):.3f}, {num(e2e['purse_own_share_of_honest_floor']):.2f}", "", "", "<= 0.3")
        if "purse_own_without_syncs_ms" in e2e:
            row("  the same with no fdatasync on either side (each request less its own; ms)", f"{num(e2e['purse_own_without_syncs_ms']):.3f}")
    # A fresh server's first paid requests (10 warm-up, 30 measured, a new ledger each run), its
    # log lengthened at start as `purse serve` does, and growing (as a one-shot command opens
    # it): each a comma-separated list of interleaved runs, shown as the median of their medians.
    if len(sys.argv) > 8:
        for label, arg in (("log lengthened at start", sys.argv[7]), ("log growing", sys.argv[8])):
            runs = [load(p) for p in arg.split(",")]
            mid = lambda f: statistics.median(num(f(r)) for r in runs)
            row(f"  a fresh ledger's first {num(runs[0]['runs']):g} paid requests, {label} ({len(runs)} runs): "
                "Purse / honest floor; own; log sync; fsync (ms)",
                f"{mid(lambda r: r['ratio_to_honest_floor']):.2f}; {mid(lambda r: r['purse_own_ms']):.3f}; "
                f"{mid(lambda r: r['reservation_log_sync_ms']['median']):.3f}; {mid(lambda r: r['fsync_ms']['median']):.3f}")
    mp = peers.get("mcp_paid", {})
    if "paid_fetch_ms" in mp:
        pf, ping = mp["paid_fetch_ms"], mp["ping_ms"]
        row("warm paid_fetch via MCP, official Python client (ms)", f"{num(pf['median']):.3f} / {num(pf['p99']):.3f}")
        row("  MCP adds over the in-process paid request (ms)", f"{num(pf['median']) - num(paid['median']):.3f}", "", "", "< 0.3 ms")
        row("  of which the client's own round trip (ping, ms)", f"{num(ping['median']):.3f}")
        gap = load(sys.argv[6]) if len(sys.argv) > 6 else None
        if gap and "purse_paid_request_ms" in gap:
            gp = gap["purse_paid_request_ms"]
            row(f"  the in-process request after a {num(gap['idle_gap_us']) / 1000:g} ms idle pause (ms)", f"{num(gp['median']):.3f} / {num(gp['p99']):.3f}")
            row("  MCP adds over that (ms)", f"{num(pf['median']) - num(gp['median']):.3f}")
        mc = mp.get("minimal_client")
        if mc and "paid_fetch_ms" in mc:
            mpf, mping = mc["paid_fetch_ms"], mc["ping_ms"]
            row("  same through a minimal client (JSON lines on pipes; ms)", f"{num(mpf['median']):.3f} / {num(mpf['p99']):.3f}")
            row("  server and pipes add over in-process (minimal client; ms)", f"{num(mpf['median']) - num(paid['median']):.3f}",
                "", "", "")
            row("  of which the pipes' round trip (ping, minimal client; ms)", f"{num(mping['median']):.3f}")
            row("  the official client's own share (ms)", f"{num(pf['median']) - num(mpf['median']):.3f}")

    mcp = peers["mcp"]
    p = mcp["purse"]
    for key in ("python_peer", "python_sdk_peer_lazy", "python_sdk_peer"):
        if key in mcp:
            q = mcp[key]
            row(f"spawn -> initialize (ms) vs {q['name'][:40]}", f"{num(p['init_ms_median']):.1f}",
                f"{num(q['init_ms_median']):.0f}", ratio(q["init_ms_median"], p["init_ms_median"]), "< 20 ms, >= 30x")
            row("  idle RSS (MiB)", f"{num(p['rss_mib']):.1f}", f"{num(q['rss_mib']):.1f}", ratio(q["rss_mib"], p["rss_mib"]), "< 16 MiB, >= 4x")
    if mp.get("rss_mib_after_10_paid") is not None:
        row("RSS after ten paid requests (MiB)", f"{num(mp['rss_mib_after_10_paid']):.1f}", "", "", "< 24 MiB")

    pb = mcp.get("purse_big_ledger")
    if pb and "init_ms_median" in pb:
        row(f"  spawn -> initialize, {pb.get('bytes', 0) / 1048576:.0f} MiB ledger (100,000 rows)", f"{num(pb['init_ms_median']):.1f}",
            "", "", "< 25 ms")
    ps = mcp.get("purse_stateless")
    if ps and "init_ms_median" in ps:
        row("spawn -> server/discover (ms), MCP 2026-07-28", f"{num(ps['init_ms_median']):.1f}", "", "", "< 30 ms")

    pys = peers.get("py_sqlite", {})
    for k, label in (("1_process", "1 process"), ("4_processes", "4 processes")):
        L = ledger.get(k)
        if not L:
            continue
        q = pys.get(k, {})
        row(f"reservations/s, {label}, durable (py: synchronous=FULL)", f"{L['reservations_per_s']}",
            f"{q.get('reservations_per_s', '-')} (py sqlite3)", ratio(L["reservations_per_s"], q.get("reservations_per_s")) if q else "",
            ">= 1.0x; >= 3000 (4 procs)" if k == "4_processes" else ">= 1.0x")
        row(f"  worst wait (ms), {label}", f"{num(L['worst_wait_ms']):.1f}", f"{num(q.get('worst_wait_ms')):.1f}" if q else "",
            "", "< 20 ms")
        row(f"  overspends, {label}", f"{L['overspends']}", f"{q.get('overspends', '-')}", "", "0")

    if len(sys.argv) > 5:
        up = load(sys.argv[5])["upstream_overhead"]
        through, direct = up["through_purse_ms"], up["direct_ms"]
        row("free upstream MCP tool call, through Purse vs direct (ms)", f"{num(through['median']):.3f} / {num(through['p99']):.3f}",
            f"{num(direct['median']):.3f} / {num(direct['p99']):.3f} (direct)", "")
        row("  added by Purse in the middle (median, ms)", f"{num(up['added_ms_median']):.3f}", "", "", "< 0.5 ms")

    w = [max(len(r[i]) for r in rows + [("item", "Purse", "peer", "peer/Purse", "target")]) for i in range(5)]
    head = ("item", "Purse", "peer", "peer/Purse", "target")
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    print("  ".join("-" * w[i] for i in range(5)))
    for r in rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
    spans = e2e.get("timeline_ms")
    if spans:
        print("\ntimeline of one paid request (purse-bench e2e, median / p99 ms of each span):")
        for s in spans:
            print(f"  {s['span']:<60} {num(s['median']):7.3f} / {num(s['p99']):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
