"""HTTPS for real: the offline world's TLS fronts (a CA and certificates made at start, no network).

Purse pays over HTTPS with the CA given by `http.caFile`; with the wrong CA, no CA, or a certificate
for another host name it refuses with `http.tls` before anything is reserved or signed, and the
paid request (the only one carrying a payment header) never leaves for such a host.
"""

from __future__ import annotations

import json

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from purse_e2e import EXIT_ERROR, EXIT_OK, base_config
from worldlib import count_transfers

from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401


def tls_config(world, ca: str | None) -> dict:
    cfg = base_config(world, allowAssets=[world["token"]])
    if ca:
        cfg["http"] = {"caFile": world[ca]}
    return cfg


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_pays_over_https_with_the_local_ca(world, purse, host):
    p = purse(tls_config(world, "caFile"))
    target = world["sellerHttpsUrl"].replace("127.0.0.1", host) + "/weather"
    r = p.fetch(target)
    print(f"\n{target}: rc {r.rc} {r.data['outcome']} tx {r.data.get('payment', {}).get('transaction')}")
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid" and r.data["status"] == 200, r
    row = p.payments()[0]
    assert row["status"] == "settled" and row["url"] == target and row["host"] == host
    assert count_transfers(world, p.address) == 1


def test_payment_identifier_and_offer_routes_over_https(world, purse):
    p = purse(tls_config(world, "caFile"))
    r = p.fetch(world["sellerHttpsUrl"] + world["endpoints"]["weatherId"])
    assert r.data["outcome"] == "paid" and r.data["payment"]["paymentId"], r
    # The 402 names https resource URLs; the echo and the paid retry stay on https.
    sent = json.loads(__import__("sqlite3").connect(p.db_path).execute("SELECT signed_payload FROM payment").fetchone()[0])
    assert sent["resource"]["url"].startswith("https://"), sent["resource"]
    assert count_transfers(world, p.address) == 1


@pytest.mark.parametrize("case,ca,base", [
    ("wrong CA", "wrongCaFile", "sellerHttpsUrl"),
    ("system store only", None, "sellerHttpsUrl"),
    ("certificate for another host name", "caFile", "mismatchHttpsUrl"),
])
def test_an_unverified_certificate_is_refused_before_signing(world, purse, case, ca, base):
    p = purse(tls_config(world, ca))
    for path in ("/weather", world["endpoints"]["weatherId"]):
        r = p.fetch(world[base] + path)
        print(f"\n{case} {path}: rc {r.rc} {r.data.get('error')}")
        assert r.rc == EXIT_ERROR and r.data["outcome"] == "error", r
        assert r.data["error"]["code"] == "http.tls" and "nothing was sent" in r.data["error"]["message"], r.data["error"]
        assert r.data["paid"] is False and "payment" not in r.data and r.data["status"] is None
    assert p.payments() == [], "nothing reserved, nothing signed"
    assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000
    # quote refuses the same way: it never reaches an offer over an unverified connection.
    q = p.quote(world[base] + "/weather")
    assert q.data["refusal"]["code"] == "http.tls", q


def test_a_missing_ca_file_is_a_tls_error(world, purse, tmp_path):
    cfg = base_config(world, allowAssets=[world["token"]])
    cfg["http"] = {"caFile": str(tmp_path / "missing.pem")}
    p = purse(cfg)
    r = p.fetch(world["sellerHttpsUrl"] + "/weather")
    assert r.rc == EXIT_ERROR and r.data["error"]["code"] == "http.tls", r
    assert count_transfers(world, p.address) == 0
