"""The world's HTTPS endpoints and x402 extension routes behave as README.md documents.

The official x402 SDK client (2.25) is the oracle where it can be; offers and receipts are checked
with eth-account against the EIP-712 types written out below from the spec (not with the world's
own offers.py), so a mistake in the world would show.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import time

import httpx
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from x402.extensions.payment_identifier import PAYMENT_IDENTIFIER, append_payment_identifier_to_extensions
from x402.extensions.sign_in_with_x import (
    CreateSIWxClientExtensionOptions,
    create_siwx_client_extension,
    create_siwx_client_hook,
    create_siwx_message,
    create_siwx_payload,
    encode_siwx_header,
)
from x402.http import x402HTTPClient
from x402.http.clients import x402_httpx_transport
from x402.schemas import PaymentRequired
from x402.schemas.hooks import PaymentRequiredContext

import selfcheck as sc
from conftest import balance_of, count_transfers, receipt

# ---- helpers ------------------------------------------------------------------------------------


def dec(value: str):
    return json.loads(base64.b64decode(value))


def enc(obj) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


def required_of(resp: httpx.Response) -> dict:
    return dec(resp.headers["payment-required"])


class PaymentIdExtension:
    """Client extension: echo the server's payment-identifier declaration with an id (SDK helper)."""

    key = PAYMENT_IDENTIFIER

    def __init__(self, pid: str | None = None):
        self.pid = pid
        self.sent: list[str] = []

    def enrich_payment_payload(self, payload, payment_required):
        ext = dict(payload.extensions or {})
        append_payment_identifier_to_extensions(ext, self.pid)
        info = (ext.get(PAYMENT_IDENTIFIER) or {}).get("info") or {}
        if "id" in info:
            self.sent.append(info["id"])
        return payload.model_copy(update={"extensions": ext})


def run(coro):
    return asyncio.run(coro)


async def sdk_get(url: str, client, verify=None, **kw) -> httpx.Response:
    transport = httpx.AsyncHTTPTransport(verify=verify) if verify is not None else None
    async with httpx.AsyncClient(transport=x402_httpx_transport(client, transport), timeout=30) as http:
        return await http.get(url, **kw)


async def signed_header(client, url: str) -> tuple[dict, dict]:
    """A PAYMENT-SIGNATURE header made by the SDK client for the 402 at `url`, and its payload."""
    r = httpx.get(url)
    assert r.status_code == 402
    pr = PaymentRequired.model_validate(required_of(r))
    payload = await client.create_payment_payload(pr)
    return x402HTTPClient(client).encode_payment_signature_header(payload), payload.model_dump(by_alias=True,
                                                                                                exclude_none=True)


@pytest.fixture()
def wallet(world):
    acct = sc.fresh_wallet(world)
    return acct


# ---- A. HTTPS -----------------------------------------------------------------------------------


def test_https_seller_pays_with_the_ca_and_fails_otherwise(world, wallet):
    ca = ssl.create_default_context(cafile=world["caFile"])
    wrong = ssl.create_default_context(cafile=world["wrongCaFile"])
    url = world["sellerHttpsUrl"] + "/weather"
    assert url.startswith("https://127.0.0.1:")

    before = balance_of(world, wallet.address)
    r = run(sdk_get(url, sc.make_client(world, wallet), verify=ca))
    assert r.status_code == 200, r.text
    settle = dec(r.headers["payment-response"])
    assert settle["success"] is True and settle["payer"] == wallet.address
    assert balance_of(world, wallet.address) == before - 10000
    # the resource URL the HTTPS seller advertises is the https one
    assert required_of(httpx.get(url, verify=ca))["resource"]["url"] == url

    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(url, verify=wrong)
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(url)  # the system trust store does not know the test CA
    # the DNS SAN: https://localhost works with the same CA
    port = world["sellerHttpsUrl"].rsplit(":", 1)[1]
    assert httpx.get(f"https://localhost:{port}/health", verify=ca).status_code == 200
    # the HTTPS facilitator answers with the CA
    sup = httpx.get(world["facilitatorHttpsUrl"] + "/supported", verify=ca).json()
    assert {"x402Version": 2, "scheme": "exact", "network": world["network"]} in sup["kinds"]


def test_mismatch_endpoint_is_signed_by_the_good_ca_but_names_another_host(world):
    ca = ssl.create_default_context(cafile=world["caFile"])
    url = world["mismatchHttpsUrl"] + "/weather"
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(url, verify=ca)
    # Verified against the name it does carry, the same certificate chain is accepted, and it
    # serves the same paid /weather.
    with httpx.Client(verify=ca) as c:
        r = c.send(c.build_request("GET", url, extensions={"sni_hostname": world["mismatchHost"]}))
    assert r.status_code == 402 and required_of(r)["accepts"][0]["amount"] == "10000"


# ---- B1. payment-identifier -----------------------------------------------------------------------


def test_payment_identifier_paid_once_replayed_from_cache_and_conflicts(world, wallet):
    ep = world["endpoints"]
    url = world["sellerUrl"] + ep["weatherId"]
    r402 = httpx.get(url)
    ext = required_of(r402)["extensions"]
    assert ext[PAYMENT_IDENTIFIER]["info"] == {"required": True}
    assert "bazaar" in ext and ext["bazaar"]["info"]["input"]["method"] == "GET"

    # The plain SDK client echoes the declaration but adds no id: the seller demands it (400).
    plain = run(sdk_get(url, sc.make_client(world, wallet)))
    assert plain.status_code == 400 and plain.json()["error"] == "payment_identifier_required"

    pid_ext = PaymentIdExtension()
    client = sc.make_client(world, wallet)
    client.register_extension(pid_ext)
    before = balance_of(world, wallet.address)
    r = run(sdk_get(url, client))
    assert r.status_code == 200, r.text
    assert len(pid_ext.sent) == 1
    pid = pid_ext.sent[0]
    entry = httpx.get(world["sellerUrl"] + ep["idLog"]).json()["ids"][pid]
    assert entry["route"] == ep["weatherId"]
    assert (entry["requests"], entry["verifies"], entry["settles"], entry["distinctPayloads"]) == (1, 1, 1, 1)
    assert balance_of(world, wallet.address) == before - 10000

    # Resending the same bytes gets the stored answer, without verify or settle.
    c2 = sc.make_client(world, wallet)
    ext2 = PaymentIdExtension()
    c2.register_extension(ext2)
    header, payload = run(signed_header(c2, url))
    pid2 = payload["extensions"][PAYMENT_IDENTIFIER]["info"]["id"]
    first = httpx.get(url, headers=header)
    again = httpx.get(url, headers=header)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["payment-response"] == first.headers["payment-response"]
    entry = httpx.get(world["sellerUrl"] + ep["idLog"]).json()["ids"][pid2]
    assert (entry["requests"], entry["settles"], entry["replayed"]) == (2, 1, 1)
    assert balance_of(world, wallet.address) == before - 20000

    # Same id with other bytes: 409, nothing settled.
    c3 = sc.make_client(world, wallet)
    c3.register_extension(PaymentIdExtension(pid2))
    other_header, _ = run(signed_header(c3, url))
    conflict = httpx.get(url, headers=other_header)
    assert conflict.status_code == 409 and conflict.json()["error"] == "payment_identifier_conflict"
    assert balance_of(world, wallet.address) == before - 20000


def test_payment_identifier_concurrent_resend_waits_for_the_first(world, wallet):
    url = world["sellerUrl"] + world["endpoints"]["weatherId"]
    client = sc.make_client(world, wallet)
    client.register_extension(PaymentIdExtension())
    header, payload = run(signed_header(client, url))

    async def both():
        async with httpx.AsyncClient(timeout=30) as http:
            return await asyncio.gather(http.get(url, headers=header), http.get(url, headers=header))

    a, b = run(both())
    assert a.status_code == b.status_code == 200
    assert a.headers["payment-response"] == b.headers["payment-response"]
    pid = payload["extensions"][PAYMENT_IDENTIFIER]["info"]["id"]
    e = httpx.get(world["sellerUrl"] + world["endpoints"]["idLog"]).json()["ids"][pid]
    assert (e["requests"], e["settles"], e["replayed"]) == (2, 1, 1)
    assert count_transfers(world, sender=wallet.address) == 1


def test_payment_identifier_echo_demands(world, wallet):
    url = world["sellerUrl"] + world["endpoints"]["weatherId"]
    client = sc.make_client(world, wallet)
    client.register_extension(PaymentIdExtension())
    header, payload = run(signed_header(client, url))

    def send(mutate) -> httpx.Response:
        p = json.loads(json.dumps(payload))
        mutate(p)
        return httpx.get(url, headers={"PAYMENT-SIGNATURE": enc(p)})

    def set_id(value):
        def m(p):
            p["extensions"][PAYMENT_IDENTIFIER]["info"]["id"] = value
        return m

    assert send(set_id("short")).json()["error"] == "invalid_payment_identifier"
    assert send(set_id("x" * 129)).json()["error"] == "invalid_payment_identifier"
    assert send(set_id("has space in it 12345")).status_code == 400
    assert send(lambda p: p["extensions"].pop("bazaar")).json()["error"] == "bazaar_echo_missing"
    assert send(lambda p: p.pop("resource")).json()["error"] == "resource_echo_missing"
    r = send(lambda p: p.pop("extensions"))
    assert r.status_code == 400 and r.json()["error"] == "payment_identifier_required"
    assert count_transfers(world, sender=wallet.address) == 0


def test_payment_identifier_dropped_answer_is_recovered_by_resending(world, wallet):
    url = world["idDropUrl"] + world["endpoints"]["weatherIdDrop"]
    client = sc.make_client(world, wallet)
    client.register_extension(PaymentIdExtension())
    header, payload = run(signed_header(client, url))
    assert payload["resource"]["url"] == url  # the front keeps Host: the resource names the front
    pid = payload["extensions"][PAYMENT_IDENTIFIER]["info"]["id"]
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url, headers=header)
    # It was settled before the drop.
    assert count_transfers(world, sender=wallet.address) == 1
    r = httpx.get(url, headers=header)
    assert r.status_code == 200 and r.json()["paid"] is True
    settle = dec(r.headers["payment-response"])
    assert settle["success"] is True and settle["payer"] == wallet.address
    assert count_transfers(world, sender=wallet.address) == 1  # the chain moved exactly once
    log = httpx.get(world["idDropUrl"] + "/id-log").json()
    assert pid in log["dropped"]
    e = log["ids"][pid]
    assert (e["requests"], e["settles"], e["replayed"], e["distinctPayloads"]) == (2, 1, 1, 1)


# ---- B3. sign-in-with-x ---------------------------------------------------------------------------


def siwx_client(world, acct):
    c = sc.make_client(world, acct)
    c.register_extension(create_siwx_client_extension(CreateSIWxClientExtensionOptions(signers=[acct])))
    return c


def test_siwx_pays_once_then_signs_in(world, wallet):
    ep = world["endpoints"]
    url = world["sellerUrl"] + ep["siwxWeather"]
    ext = required_of(httpx.get(url))["extensions"]["sign-in-with-x"]
    origin = world["siwxOrigin"]
    assert ext["info"]["domain"] == origin.split("://", 1)[1] and ext["info"]["uri"] == url
    assert ext["supportedChains"] == [{"chainId": world["network"], "type": "eip191"}]

    before = balance_of(world, wallet.address)
    client = siwx_client(world, wallet)
    first = run(sdk_get(url, client))
    assert first.status_code == 200 and "payment-response" in first.headers
    second = run(sdk_get(url, client))
    assert second.status_code == 200 and "payment-response" not in second.headers
    assert balance_of(world, wallet.address) == before - 10000
    events = [e for e in httpx.get(world["sellerUrl"] + ep["siwxLog"]).json()["events"]
              if e.get("address") == wallet.address]
    assert [e["type"] for e in events] == ["payment_recorded", "access_granted"]

    # The header format (README "SIGN-IN-WITH-X"): base64 of the JSON payload; the signature is
    # EIP-191 over the EIP-4361 text. A hand-built header from the same wallet gets in, free.
    fresh = required_of(httpx.get(url))["extensions"]["sign-in-with-x"]
    info = {**fresh["info"], "chainId": world["network"], "type": "eip191"}
    payload = run(create_siwx_payload(info, wallet, url))
    header = encode_siwx_header(payload)
    body = json.loads(base64.b64decode(header))
    assert {"domain", "address", "uri", "version", "chainId", "type", "nonce", "issuedAt",
            "signature"} <= set(body)
    message = create_siwx_message(info, wallet.address)
    assert message.startswith(f"{body['domain']} wants you to sign in with your Ethereum account:\n{wallet.address}\n")
    assert f"\nChain ID: {world['chainId']}\n" in message
    assert Account.recover_message(encode_defunct(text=message), signature=body["signature"]) == wallet.address
    assert httpx.get(url, headers={"SIGN-IN-WITH-X": header}).status_code == 200
    # no nonce tracking in the SDK's in-memory storage: the same header works again
    assert httpx.get(url, headers={"SIGN-IN-WITH-X": header}).status_code == 200
    stranger = Account.create()
    p2 = run(create_siwx_payload(info, stranger, url))
    assert httpx.get(url, headers={"SIGN-IN-WITH-X": encode_siwx_header(p2)}).status_code == 402


def test_siwx_hostile_challenges(world, wallet):
    ep = world["endpoints"]
    # other domain: the challenge names http://other.invalid; the SDK client refuses to sign it.
    url = world["sellerUrl"] + ep["siwxOtherDomain"]
    pr = required_of(httpx.get(url))
    info = pr["extensions"]["sign-in-with-x"]["info"]
    assert info["domain"] == "other.invalid" and info["uri"].startswith(world["siwxOtherOrigin"] + "/")
    hook = create_siwx_client_hook(wallet)
    ctx = PaymentRequiredContext(payment_required=PaymentRequired.model_validate(pr), request_url=url)
    assert run(hook(ctx)) is None
    # expired: the challenge's expirationTime is already past; a signature over it is refused.
    url = world["sellerUrl"] + ep["siwxExpired"]
    ext = required_of(httpx.get(url))["extensions"]["sign-in-with-x"]
    assert ext["info"]["expirationTime"] < time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    payload = run(create_siwx_payload({**ext["info"], "chainId": world["network"], "type": "eip191"}, wallet, url))
    assert httpx.get(url, headers={"SIGN-IN-WITH-X": encode_siwx_header(payload)}).status_code == 402
    assert any(e["variant"] == ep["siwxExpired"] and e.get("error") == "Message expired"
               for e in httpx.get(world["sellerUrl"] + ep["siwxLog"]).json()["events"])
    # other chain: supportedChains names eip155:1 only. Observed: the SDK client signs for it and,
    # once the address has paid, the SDK server grants access (it does not tie the chain to the payment).
    url = world["sellerUrl"] + ep["siwxOtherChain"]
    ext = required_of(httpx.get(url))["extensions"]["sign-in-with-x"]
    assert ext["supportedChains"] == [{"chainId": world["siwxOtherChain"], "type": "eip191"}]
    client = siwx_client(world, wallet)
    assert run(sdk_get(url, client)).status_code == 200
    again = run(sdk_get(url, client))
    assert again.status_code == 200 and "payment-response" not in again.headers


# ---- B4. offer-receipt (types written from the spec, §4.3 and §5.3) -------------------------------

DOMAIN = [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
          {"name": "chainId", "type": "uint256"}]
OFFER = [{"name": n, "type": t} for n, t in (("version", "uint256"), ("resourceUrl", "string"),
                                              ("scheme", "string"), ("network", "string"),
                                              ("asset", "string"), ("payTo", "string"),
                                              ("amount", "string"), ("validUntil", "uint256"))]
RECEIPT = [{"name": n, "type": t} for n, t in (("version", "uint256"), ("network", "string"),
                                                ("resourceUrl", "string"), ("payer", "string"),
                                                ("issuedAt", "uint256"), ("transaction", "string"))]


def recover(kind: str, artifact: dict) -> str:
    fields, primary, name = (OFFER, "Offer", "x402 offer") if kind == "offer" else (RECEIPT, "Receipt", "x402 receipt")
    msg = {f["name"]: artifact["payload"][f["name"]] for f in fields}
    full = {"types": {"EIP712Domain": DOMAIN, primary: fields}, "primaryType": primary,
            "domain": {"name": name, "version": "1", "chainId": 1}, "message": msg}
    return Account.recover_message(encode_typed_data(full_message=full), signature=artifact["signature"])


def offers_of(world, path: str) -> tuple[dict, list]:
    pr = required_of(httpx.get(world["sellerUrl"] + path))
    return pr, pr["extensions"]["offer-receipt"]["info"]["offers"]


def matches(offer: dict, accept: dict) -> bool:
    p = offer["payload"]
    return all(str(p[k]) == str(accept[k]) for k in ("scheme", "network", "asset", "payTo", "amount"))


def test_offer_and_receipt_valid(world, wallet):
    path = world["endpoints"]["offerWeather"]
    pr, offers = offers_of(world, path)
    assert len(offers) == 1 and offers[0]["format"] == "eip712" and offers[0]["acceptIndex"] == 0
    assert recover("offer", offers[0]) == world["offerSignerAddress"]
    assert matches(offers[0], pr["accepts"][0])
    assert offers[0]["payload"]["resourceUrl"] == pr["resource"]["url"]
    assert offers[0]["payload"]["validUntil"] > time.time()

    r = run(sdk_get(world["sellerUrl"] + path, sc.make_client(world, wallet)))
    assert r.status_code == 200
    settle = dec(r.headers["payment-response"])
    rc = settle["extensions"]["offer-receipt"]["info"]["receipt"]
    assert rc["format"] == "eip712" and recover("receipt", rc) == world["offerSignerAddress"]
    assert rc["payload"]["transaction"] == settle["transaction"]
    assert rc["payload"]["payer"] == wallet.address and rc["payload"]["network"] == world["network"]
    assert abs(rc["payload"]["issuedAt"] - time.time()) < 120
    assert receipt(world, settle["transaction"])["status"] == "0x1"


def test_hostile_offers(world):
    ep = world["endpoints"]
    pr, (o,) = offers_of(world, ep["offerTamperedPayTo"])
    assert recover("offer", o) == world["offerSignerAddress"]          # a genuine signature…
    assert o["payload"]["payTo"] == world["offerOtherPayTo"]            # …for another payTo
    assert pr["accepts"][0]["payTo"] == world["seller"] and not matches(o, pr["accepts"][0])

    pr, (o,) = offers_of(world, ep["offerTamperedAmount"])
    assert recover("offer", o) == world["offerSignerAddress"]
    assert pr["accepts"][0]["amount"] == "20000" and o["payload"]["amount"] == "10000"

    pr, (o,) = offers_of(world, ep["offerExpired"])
    assert recover("offer", o) == world["offerSignerAddress"] and matches(o, pr["accepts"][0])
    assert 0 < o["payload"]["validUntil"] < time.time()

    pr, (o,) = offers_of(world, ep["offerBadSignature"])
    assert matches(o, pr["accepts"][0])
    assert recover("offer", o) == world["offerWrongSignerAddress"] != world["offerSignerAddress"]


def test_hostile_receipts(world, wallet):
    ep = world["endpoints"]
    r = run(sdk_get(world["sellerUrl"] + ep["receiptBad"], sc.make_client(world, wallet)))
    settle = dec(r.headers["payment-response"])
    rc = settle["extensions"]["offer-receipt"]["info"]["receipt"]
    assert recover("receipt", rc) == world["offerWrongSignerAddress"]
    assert rc["payload"]["transaction"] == settle["transaction"]

    r = run(sdk_get(world["sellerUrl"] + ep["receiptWrongTx"], sc.make_client(world, wallet)))
    settle = dec(r.headers["payment-response"])
    rc = settle["extensions"]["offer-receipt"]["info"]["receipt"]
    assert recover("receipt", rc) == world["offerSignerAddress"]
    assert rc["payload"]["transaction"] != settle["transaction"]
    assert receipt(world, rc["payload"]["transaction"]) is None


# ---- B5. settlement_pending -----------------------------------------------------------------------


def test_settlement_pending_reaches_the_client_but_the_chain_moved_once(world, wallet):
    before = balance_of(world, wallet.address)
    r = run(sdk_get(world["sellerUrl"] + world["endpoints"]["weatherPending"], sc.make_client(world, wallet)))
    assert r.status_code == 402 and r.content == b"{}"
    assert "payment-required" not in r.headers
    settle = dec(r.headers["payment-response"])
    assert settle["success"] is False and settle["errorReason"] == "settlement_pending"
    assert settle["payer"] == wallet.address and settle["network"] == world["network"]
    tx = settle["transaction"]
    assert receipt(world, tx)["status"] == "0x1"           # it landed
    assert balance_of(world, wallet.address) == before - 10000
    assert count_transfers(world, sender=wallet.address) == 1
    answers = [a for a in httpx.get(world["facilitatorPendingUrls"]["stuck"] + "/log").json()["settleAnswers"]
               if a.get("transaction") == tx]
    assert [a["errorReason"] for a in answers] == ["settlement_pending", "settlement_pending"]  # SDK retried once


def test_settlement_pending_once_is_reconciled_by_the_sellers_retry(world, wallet):
    r = run(sdk_get(world["sellerUrl"] + world["endpoints"]["weatherPendingRecovers"],
                    sc.make_client(world, wallet)))
    assert r.status_code == 200
    settle = dec(r.headers["payment-response"])
    assert settle["success"] is True
    answers = [a for a in httpx.get(world["facilitatorPendingUrls"]["once"] + "/log").json()["settleAnswers"]
               if a.get("transaction") == settle["transaction"]]
    assert [a["success"] for a in answers] == [False, True]
    assert count_transfers(world, sender=wallet.address) == 1


# ---- B6. paymentFlow upfront ----------------------------------------------------------------------


def test_upfront_flow_settles_before_the_handler(world, wallet):
    ep = world["endpoints"]
    pr = required_of(httpx.get(world["sellerUrl"] + ep["weatherUpfront"]))
    assert pr["accepts"][0]["extra"]["paymentFlow"] == "upfront"
    before = balance_of(world, wallet.address)
    ok = run(sdk_get(world["sellerUrl"] + ep["weatherUpfront"], sc.make_client(world, wallet)))
    assert ok.status_code == 200 and dec(ok.headers["payment-response"])["success"] is True
    failed = run(sdk_get(world["sellerUrl"] + ep["failUpfront"], sc.make_client(world, wallet)))
    assert failed.status_code == 500
    settle = dec(failed.headers["payment-response"])
    assert settle["success"] is True and receipt(world, settle["transaction"])["status"] == "0x1"
    assert balance_of(world, wallet.address) == before - 20000  # the failed handler was paid for


def test_mainnet_only_route(world):
    r = httpx.get(world["sellerUrl"] + world["endpoints"]["weatherMainnet"])
    accepts = required_of(r)["accepts"]
    assert r.status_code == 402 and [a["network"] for a in accepts] == ["eip155:8453"]
    paid = httpx.get(r.url, headers={"PAYMENT-SIGNATURE": enc({"x402Version": 2, "accepted": accepts[0],
                                                                "payload": {}})})
    assert paid.status_code == 402 and required_of(paid)["error"] == "invalid_network"
