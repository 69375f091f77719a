"""The local Bazaar discovery service answers as README.md documents (shapes, fallback, hostile
bases). The SDK's own bazaar client (x402.extensions.bazaar.with_bazaar) is the oracle for shapes."""

from __future__ import annotations

import base64
import json
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest
from x402.extensions.bazaar import ListDiscoveryResourcesParams, SearchDiscoveryResourcesParams, with_bazaar
from x402.http import FacilitatorConfig, HTTPFacilitatorClientSync

ITEM_KEYS = {"resource", "type", "x402Version", "accepts", "lastUpdated"}


def bazaar(base: str):
    return with_bazaar(HTTPFacilitatorClientSync(FacilitatorConfig(url=base))).extensions.bazaar


def live_accepts(url: str) -> list:
    r = httpx.get(url)
    assert r.status_code == 402
    return json.loads(base64.b64decode(r.headers["payment-required"]))["accepts"]


def test_main_list_shape_and_live_accepts(world):
    base = world["discovery"]["main"]
    body = httpx.get(base + "/discovery/resources").json()
    assert body["x402Version"] == 2 and set(body) == {"x402Version", "items", "pagination"}
    items = body["items"]
    assert body["pagination"] == {"limit": 100, "offset": 0, "total": len(items)}
    for it in items:
        assert ITEM_KEYS <= set(it) and it["x402Version"] == 2 and it["accepts"]
        assert isinstance(it["description"], str) and isinstance(it["tags"], list) and it["serviceName"]
    by_resource = {(i["resource"], i["type"]): i for i in items if i["type"] == "http"}
    roles = world["discoveryRoles"]
    for role in ("payable", "expensive", "mainnet", "paymentIdentifier"):
        (key,) = roles[role]
        assert by_resource[(key["resource"], "http")]["accepts"] == live_accepts(key["resource"])
    assert roles["payable"][0]["resource"] == world["sellerUrl"] + "/weather"
    payable = by_resource[(roles["payable"][0]["resource"], "http")]["accepts"][0]
    assert (payable["amount"], payable["network"], payable["asset"]) == ("10000", world["network"], world["token"])
    expensive = by_resource[(roles["expensive"][0]["resource"], "http")]["accepts"][0]
    assert int(expensive["amount"]) > 100 * 10**6
    mainnet = by_resource[(roles["mainnet"][0]["resource"], "http")]["accepts"]
    assert {a["network"] for a in mainnet} == {"eip155:8453"}
    assert "bazaar" in by_resource[(roles["paymentIdentifier"][0]["resource"], "http")]["extensions"]
    # MCP tools: type "mcp", resource = the MCP server URL, tool name in extensions.bazaar.info.input
    mcp = [i for i in items if i["type"] == "mcp"]
    assert len(mcp) == len(roles["mcpTool"]) >= 2
    for it, key in zip(mcp, roles["mcpTool"]):
        inp = it["extensions"]["bazaar"]["info"]["input"]
        assert it["resource"] == key["resource"] == world["mcpServerUrls"]["paidTools"]
        assert inp["type"] == "mcp" and inp["toolName"] == key["toolName"] and inp["inputSchema"]["type"] == "object"


def test_sdk_client_lists_filters_and_searches(world):
    b = bazaar(world["discovery"]["main"])
    listed = b.list_resources(ListDiscoveryResourcesParams(type="mcp", limit=1))
    assert listed.x402_version == 2 and len(listed.items) == 1 and listed.items[0].type == "mcp"
    assert (listed.pagination.limit, listed.pagination.offset, listed.pagination.total) == (1, 0, 2)
    page2 = b.list_resources(ListDiscoveryResourcesParams(type="mcp", limit=1, offset=1))
    assert page2.items[0].resource == listed.items[0].resource and page2.items[0].to_dict() != listed.items[0].to_dict()
    mainnet = b.list_resources(ListDiscoveryResourcesParams(network="eip155:8453"))
    assert [i.resource for i in mainnet.items] == [world["discoveryRoles"]["mainnet"][0]["resource"]]

    found = b.search(SearchDiscoveryResourcesParams(query="weather", type="http"))
    assert found.x402_version == 2 and found.partial_results is False
    assert found.resources and all(i.type == "http" for i in found.resources)
    assert world["sellerUrl"] + "/weather" in [i.resource for i in found.resources]
    assert b.search(SearchDiscoveryResourcesParams(query="no such thing zzz")).resources == []
    # cursor paging
    first = b.search(SearchDiscoveryResourcesParams(query="weather", limit=1))
    assert len(first.resources) == 1 and first.pagination.limit == 1 and first.pagination.cursor
    second = b.search(SearchDiscoveryResourcesParams(query="weather", limit=1, cursor=first.pagination.cursor))
    assert second.resources[0].to_dict() != first.resources[0].to_dict()
    # raw shape
    raw = httpx.get(world["discovery"]["main"] + "/discovery/search", params={"query": "forecast"}).json()
    assert set(raw) == {"x402Version", "resources", "partialResults", "pagination"}
    assert set(raw["pagination"]) == {"limit", "cursor"} and raw["pagination"]["cursor"] is None
    assert httpx.get(world["discovery"]["main"] + "/discovery/search").status_code == 400  # query required
    assert httpx.get(world["discovery"]["main"] + "/discovery/resources?limit=-1").status_code == 400


def test_no_search_base_needs_the_list_fallback(world):
    base = world["discovery"]["noSearch"]
    assert httpx.get(base + "/discovery/search", params={"query": "weather"}).status_code == 404
    b = bazaar(base)
    with pytest.raises(ValueError, match="404"):
        b.search(SearchDiscoveryResourcesParams(query="weather"))
    assert len(b.list_resources().items) == len(bazaar(world["discovery"]["main"]).list_resources().items)


def test_down_base_refuses_connections(world):
    t = time.monotonic()
    with pytest.raises(httpx.ConnectError):
        httpx.get(world["discovery"]["down"] + "/discovery/resources", timeout=5)
    assert time.monotonic() - t < 2


def test_hang_base_never_answers(world):
    t = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(world["discovery"]["hang"] + "/discovery/resources", timeout=httpx.Timeout(5, read=0.5))
    assert time.monotonic() - t < 3


def test_huge_base_streams_over_50_mib(world):
    with httpx.stream("GET", world["discovery"]["huge"] + "/discovery/resources", timeout=10) as r:
        assert r.status_code == 200
        assert int(r.headers["content-length"]) >= 50 * 1024 * 1024
        head = next(r.iter_bytes(65536))
        assert head.startswith(b'{"x402Version":2,"items":[{')
    # the service still answers afterwards
    assert httpx.get(world["discovery"]["main"] + "/discovery/resources").status_code == 200


def test_many_base_has_ten_thousand_items(world):
    body = httpx.get(world["discovery"]["many"] + "/discovery/resources?limit=5", timeout=30).json()
    assert len(body["items"]) == 10_000 and body["pagination"]["total"] == 10_000  # limit ignored
    assert len({i["resource"] for i in body["items"]}) == 10_000


def test_malformed_absurd_schemes_injection_bases(world):
    d = world["discovery"]

    def items(base):
        body = httpx.get(d[base] + "/discovery/resources").json()
        assert body["x402Version"] == 2 and isinstance(body["items"], list)
        search = httpx.get(d[base] + "/discovery/search", params={"query": "x"}).json()
        assert search["resources"] == body["items"]  # these bases ignore the query
        return body["items"]

    bad = items("malformed")
    assert any(not isinstance(i, dict) for i in bad)
    assert any(isinstance(i, dict) and "resource" not in i for i in bad)
    assert any(isinstance(i, dict) and isinstance(i.get("accepts"), str) for i in bad)
    assert any(isinstance(i, dict) and i.get("x402Version") == "two" for i in bad)
    good = [i for i in bad if isinstance(i, dict) and ITEM_KEYS <= set(i) and isinstance(i["accepts"], list)
            and all(isinstance(a, dict) and "amount" in a for a in i["accepts"]) and i["x402Version"] == 2
            and isinstance(i["resource"], str) and i["type"] == "http" and isinstance(i["tags"], list)
            and isinstance(i["description"], str) and isinstance(i["lastUpdated"], str)]
    assert len(good) == 1 and good[0]["resource"] == world["sellerUrl"] + "/weather"

    amounts = [i["accepts"][0]["amount"] for i in items("absurd")]
    assert "-10000" in amounts and str(10**40) in amounts and "abc" in amounts and -10000 in amounts

    resources = [i["resource"] for i in items("schemes")]
    assert {"file:///etc/passwd", "javascript:alert(document.cookie)", "ftp://127.0.0.1/weather"} <= set(resources)

    texts = [i["description"] for i in items("injection")]
    assert any("IGNORE ALL PREVIOUS INSTRUCTIONS" in t for t in texts)
    assert any(len(t) > 100_000 for t in texts)


def test_hang_base_holds_the_connection_silently(world):
    """The hang base holds the socket open and sends nothing. That a world stops promptly with such
    a connection open is checked on the second world in test_world_selfcheck.py."""
    u = urlsplit(world["discovery"]["hang"])
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        s.sendall(f"GET {u.path}/discovery/search?query=x HTTP/1.1\r\nHost: {u.netloc}\r\n\r\n".encode())
        s.settimeout(0.3)
        with pytest.raises(socket.timeout):
            s.recv(1)
