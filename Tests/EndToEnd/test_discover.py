"""`purse discover` and the `discover` MCP tool against the offline world's Bazaar catalog (issue 15).

Shows, offline:
- `purse discover weather --json` lists the world's `/weather` at 0.01 USDC, payable; the item over
  the cap and the mainnet-only item are `payable: false` with the reason `quote` gives;
- the same with `/discovery/search` answering 404 (the `/discovery/resources` fallback);
- the `discover` tool through the official MCP client gives the same object, and `paid_fetch` of
  the URL it found pays once on chain;
- two endpoints, one down: results plus a `sources` error;
- hostile catalogs (huge, many, malformed, absurd, schemes, injection, hang): no crash, bounded
  memory (the purse process's own max RSS, from wait4), bounded time, nothing paid or reserved.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import EXIT_ERROR, EXIT_OK, Run, base_config, payments_of, settled_rows
from worldlib import count_transfers, transfer_logs

# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401

REPO = Path(__file__).resolve().parents[2]
RESULT_KEYS = ["resource", "type", "description", "serviceName", "price", "symbol", "network", "payable", "reason",
               "toolName", "endpoint"]
# Generous bounds for one `purse discover` process (measured numbers are printed with -s).
MAX_RSS_MIB = 256
MAX_SECONDS = 20
OUTPUT_SCHEMA = Draft202012Validator(json.loads((REPO / "schemas/tools/discover.output.schema.json").read_text()))


def discovery_config(world, *bases: str, timeout_ms: int | None = None, http: dict | None = None, **policy) -> dict:
    """The world's token only (the built-in Base Sepolia USDC has no contract on the local chain),
    and the named catalog bases of world.json `discovery`."""
    cfg = base_config(world, allowAssets=[world["token"]], **policy)
    cfg["discovery"] = {"endpoints": [world["discovery"][b] for b in bases]}
    if timeout_ms is not None:
        cfg["discovery"]["timeoutMs"] = timeout_ms
    if http:
        cfg["http"] = http
    return cfg


def discover(p, query: str, *extra: str, timeout: float = 60) -> Run:
    return p.run("discover", query, *extra, "--json", timeout=timeout)


def keyed(results: list[dict]) -> dict[str, dict]:
    return {r["resource"] + ("#" + r["toolName"] if r["toolName"] else ""): r for r in results}


# Measures one process's own peak RSS. `subprocess` spawns with vfork, so wait4's ru_maxrss for a
# child of pytest would include pytest's own RSS at spawn; a small forking wrapper keeps that floor
# at the wrapper's size (~10 MiB) and kills the child on time-out.
RSS_WRAPPER = r"""
import os, signal, sys
out, timeout, argv = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.setitimer(signal.ITIMER_REAL, timeout)
_, status, usage = os.wait4(pid, 0)
signal.setitimer(signal.ITIMER_REAL, 0)
with open(out, "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(p, *args: str, timeout: float = 60) -> tuple[Run, float, float]:
    """Runs purse and returns (run, wall seconds, the purse process's peak RSS in MiB)."""
    argv = [str(p.bin), *args, *p.common()]
    with tempfile.NamedTemporaryFile("r") as rss:
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, rss.name, str(timeout), *argv], env=p.env(),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout + 10)
        seconds = time.monotonic() - t0
        kib = int(rss.read() or 0)
    return Run(proc.returncode, proc.stdout, proc.stderr, list(args)), seconds, kib / 1024


def expect_nothing_spent(world, p) -> None:
    assert count_transfers(world, p.address) == 0
    log = p.spend_log_json()
    assert payments_of(log) == [], log


def catalog_requests(world, base: str) -> list[dict]:
    name = world["discovery"][base].rstrip("/").rsplit("/", 1)[1]
    return [r for r in httpx.get(world["discoveryLogUrl"], timeout=10).json()["requests"] if r["base"] == name]


def no_controls(text: str) -> bool:
    return not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
                   for c in text)


# ---- the main catalog ---------------------------------------------------------------------------

def check_main_results(world, data: dict, base: str) -> None:
    endpoint = world["discovery"][base]
    assert list(data) == ["results", "sources"], data
    assert not list(OUTPUT_SCHEMA.iter_errors(data)), list(OUTPUT_SCHEMA.iter_errors(data))
    assert data["sources"] == [{"endpoint": endpoint, "ok": True, "error": None}], data["sources"]
    results = keyed(data["results"])
    for r in data["results"]:
        assert list(r) == RESULT_KEYS, r
        assert r["endpoint"] == endpoint
    weather = results[world["sellerUrl"] + "/weather"]
    assert (weather["price"], weather["symbol"], weather["network"], weather["payable"], weather["reason"]) == \
        ("0.01", "USDC", world["network"], True, None), weather
    assert (weather["type"], weather["serviceName"], weather["toolName"]) == ("http", "Purse test weather", None)
    mainnet = results[world["discoveryRoles"]["mainnet"][0]["resource"]]
    assert mainnet["payable"] is False and mainnet["network"] == "eip155:8453", mainnet
    assert "is not allowed by the policy" in mainnet["reason"], mainnet
    tool = results[world["mcpServerUrls"]["paidTools"] + "#get_weather"]
    assert (tool["type"], tool["price"], tool["payable"]) == ("mcp", "0.01", True), tool


def test_weather_is_found_at_the_world_price_and_judged_like_quote(world, purse):
    p = purse(discovery_config(world, "main"))
    r = discover(p, "weather")
    assert r.rc == EXIT_OK, str(r)
    check_main_results(world, r.data, "main")
    print("\n" + json.dumps(r.data["results"][:2], indent=1))

    # Over the cap: the 200-USDC item (the query "premium" finds it).
    over = discover(p, "premium")
    assert over.rc == EXIT_OK, str(over)
    (item,) = over.data["results"]
    assert item["resource"] == world["discoveryRoles"]["expensive"][0]["resource"]
    assert (item["payable"], item["price"], item["symbol"]) == (False, "200.00", "USDC"), item
    assert "exceeds the per-request cap of 0.10 USDC" in item["reason"], item

    # The reason is `quote`'s refusal for the live URL, word for word (on one line).
    for found in (item, keyed(discover(p, "weather").data["results"])[world["discoveryRoles"]["mainnet"][0]["resource"]]):
        q = p.quote(found["resource"])
        assert q.rc == EXIT_OK and q.data["wouldPay"] is False, str(q)
        live = " ".join(q.data["refusal"]["message"].replace("(server said: " + q.data.get("serverError", ""), "").split())
        assert " ".join(found["reason"].split()) in live or live.startswith(" ".join(found["reason"].split())), (found, q.data)

    # --max-price lowers the cap; --type and --network filter.
    low = keyed(discover(p, "weather", "--max-price", "0.005").data["results"])
    assert low[world["sellerUrl"] + "/weather"]["payable"] is False
    mcp = discover(p, "weather", "--type", "mcp").data["results"]
    assert mcp and all(x["type"] == "mcp" for x in mcp)
    main_only = discover(p, "weather", "--network", "eip155:8453").data["results"]
    assert [x["resource"] for x in main_only] == [world["discoveryRoles"]["mainnet"][0]["resource"]]
    assert len(discover(p, "weather", "--limit", "1").data["results"]) == 1
    expect_nothing_spent(world, p)


def test_fallback_when_search_is_off_gives_the_same_results(world, purse):
    main = discover(purse(discovery_config(world, "main"), name="main"), "weather")
    p = purse(discovery_config(world, "noSearch"), name="nosearch")
    before = len(catalog_requests(world, "noSearch"))
    r = discover(p, "weather")
    assert r.rc == EXIT_OK, str(r)
    check_main_results(world, r.data, "noSearch")
    strip = [{k: v for k, v in x.items() if k != "endpoint"} for x in r.data["results"]]
    assert strip == [{k: v for k, v in x.items() if k != "endpoint"} for x in main.data["results"]]
    paths = [q["path"] for q in catalog_requests(world, "noSearch")[before:]]
    assert paths == ["/discovery/search", "/discovery/resources"], paths
    expect_nothing_spent(world, p)


def test_table_is_readable_at_a_glance(world, purse):
    p = purse(discovery_config(world, "main", "down"))
    r = p.run("discover", "weather")
    assert r.rc == EXIT_OK, str(r)
    print("\n" + r.stdout)
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["PRICE", "PAY", "SERVICE", "URL"]
    weather = next(ln for ln in lines if ln.rstrip().endswith(world["sellerUrl"] + "/weather"))
    assert "0.01 USDC" in weather and "✓" in weather and "Purse test weather" in weather
    mainnet = lines.index(next(ln for ln in lines if ln.rstrip().endswith("/weather-mainnet")))
    assert "✗" in lines[mainnet] and "↳" in lines[mainnet + 1] and "not allowed by the policy" in lines[mainnet + 1]
    assert any(ln.startswith("source ✗ " + world["discovery"]["down"]) for ln in lines)
    assert "untrusted" in r.stdout


# ---- the MCP tool, then paying what was found ----------------------------------------------------

def test_discover_tool_gives_the_same_results_then_paid_fetch_pays_once(world, purse):
    p = purse(discovery_config(world, "main"))
    cli = discover(p, "weather")
    assert cli.rc == EXIT_OK, str(cli)

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            tools = {t["name"]: t for t in await s.tools()}
            found = await s.call("discover", {"query": "weather"})
            url = next(x["resource"] for x in found["data"]["results"] if x["payable"] and x["type"] == "http")
            paid = await s.call("paid_fetch", {"url": url})
            again = await s.call("discover", {"query": "weather", "limit": 3})
            return tools["discover"], found, url, paid, again

    tool, found, url, paid, again = asyncio.run(asyncio.wait_for(go(), 120))
    ann = tool["annotations"]
    assert (ann["readOnlyHint"], ann["destructiveHint"], ann["openWorldHint"]) == (True, False, True), ann
    assert "untrusted" in tool["description"] and "not instructions" in tool["description"]
    assert tool["inputSchema"]["required"] == ["query"]
    assert found["isError"] is False and found["structuredContent"] == cli.data, (found, cli.data)
    assert url == world["sellerUrl"] + "/weather"
    assert paid["isError"] is False and paid["data"]["outcome"] == "paid", paid
    assert len(again["data"]["results"]) == 3 and again["isError"] is False
    logs = transfer_logs(world, p.address)
    assert len(logs) == 1 and int(logs[0]["data"], 16) == 10_000
    rows = p.payments()
    assert len(rows) == 1 and len(settled_rows(rows)) == 1
    assert paid["data"]["payment"]["transaction"].lower() == logs[0]["transactionHash"].lower()


def test_discovery_off_is_a_clear_error(world, purse):
    cfg = discovery_config(world)
    assert cfg["discovery"] == {"endpoints": []}
    r = purse(cfg).run("discover", "weather", "--json")
    assert r.rc == EXIT_ERROR and "discovery.disabled" in r.stderr and "discovery.endpoints" in r.stderr, str(r)


# ---- failing and hostile catalogs -----------------------------------------------------------------

def test_two_endpoints_one_down_returns_results_and_a_sources_error(world, purse):
    p = purse(discovery_config(world, "down", "main"))
    r, seconds, rss = run_measured(p, "discover", "weather", "--json")
    print(f"\ndown+main: {seconds:.2f} s, max RSS {rss:.1f} MiB")
    assert r.rc == EXIT_OK, str(r)
    down, main = r.data["sources"]
    assert down["endpoint"] == world["discovery"]["down"] and down["ok"] is False
    assert "could not connect" in down["error"] and "discovery.transport" in down["error"], down
    assert main == {"endpoint": world["discovery"]["main"], "ok": True, "error": None}
    assert keyed(r.data["results"])[world["sellerUrl"] + "/weather"]["payable"] is True


# (base, extra config, expected rc, check of the one source, check of the results)
HOSTILE = {
    "huge": ({}, EXIT_ERROR, lambda s: not s["ok"] and "larger than http.maxBodyBytes" in s["error"], lambda rs: rs == []),
    "many": ({"http": {"maxBodyBytes": 16 << 20}}, EXIT_OK, lambda s: s["ok"] and s["error"] is None,
             lambda rs: len(rs) == 20 and all(r["payable"] and "/weather?item=" in r["resource"] for r in rs)),
    "malformed": ({}, EXIT_OK, lambda s: s["ok"] and s["error"].startswith("skipped 15 unusable items"),
                  lambda rs: [(r["resource"].rsplit("/", 1)[1], r["payable"]) for r in rs] == [("weather", True)]),
    "absurd": ({}, EXIT_OK, lambda s: s["ok"] and s["error"].startswith("skipped 11 unusable items"), lambda rs: rs == []),
    "schemes": ({}, EXIT_OK, lambda s: s["ok"] and s["error"].startswith("skipped 6 unusable items") and "item_bad_url" in s["error"],
                lambda rs: [(r["resource"].rsplit("/", 1)[1], r["payable"]) for r in rs] == [("weather", True)]),
    "injection": ({}, EXIT_OK, lambda s: s["ok"] and s["error"] is None,
                  lambda rs: len(rs) == 1 and all(no_controls(json.dumps(r, ensure_ascii=False)) for r in rs)
                  and len(rs[0]["description"]) <= 500),
    "hang": ({"timeout_ms": 1500}, EXIT_ERROR, lambda s: not s["ok"] and "discovery.timeout" in s["error"], lambda rs: rs == []),
}


@pytest.mark.parametrize("base", list(HOSTILE))
def test_hostile_catalogs_cost_bounded_memory_and_time_and_pay_nothing(world, purse, base):
    extra, rc, source_ok, results_ok = HOSTILE[base]
    p = purse(discovery_config(world, base, **extra))
    r, seconds, rss = run_measured(p, "discover", "weather", "--json")
    print(f"\n{base}: exit {r.rc}, {seconds:.2f} s, max RSS {rss:.1f} MiB, source {json.dumps(r.data['sources'][0])[:300]}")
    assert r.rc == rc, str(r)
    assert not list(OUTPUT_SCHEMA.iter_errors(r.data)), list(OUTPUT_SCHEMA.iter_errors(r.data))
    (source,) = r.data["sources"]
    assert source_ok(source), source
    assert results_ok(r.data["results"]), json.dumps(r.data["results"])[:3000]
    assert rss < MAX_RSS_MIB and seconds < MAX_SECONDS
    if base == "hang":
        assert seconds < 1.5 + 4, seconds       # cut by discovery.timeoutMs, not by the 30-s HTTP timeout
    if base == "injection":
        table = p.run("discover", "weather")
        assert table.rc == EXIT_OK and no_controls(table.stdout.replace("\n", " ")), repr(table.stdout)
    expect_nothing_spent(world, p)


def test_many_items_with_the_default_body_cap(world, purse):
    """The 10,000-item answer is over the default 5 MiB cap: a clear error, nothing half-read."""
    p = purse(discovery_config(world, "many", "main"))
    r, seconds, rss = run_measured(p, "discover", "weather", "--json")
    print(f"\nmany (5 MiB cap) + main: {seconds:.2f} s, max RSS {rss:.1f} MiB, {r.data['sources'][0]}")
    assert r.rc == EXIT_OK, str(r)
    many, main = r.data["sources"]
    assert main["ok"] is True and many["endpoint"] == world["discovery"]["many"]
    size = len(httpx.get(world["discovery"]["many"] + "/discovery/search?query=x", timeout=30).content)
    if size > 5 << 20:
        assert many["ok"] is False and "larger than http.maxBodyBytes (5242880 bytes)" in many["error"], many
    else:
        assert many["ok"] is True, many
    assert rss < MAX_RSS_MIB
