"""A hostile x402 server (TEST ONLY): one path per malicious or broken 402 offer.

Every offer is built around the offline world's real token, seller and network, so that exactly
one thing is wrong with it. The server never talks to a facilitator: a payment it receives is
never settled. It logs every request that carries a `PAYMENT-SIGNATURE` or `X-PAYMENT` header;
`GET /_signed` returns them as a JSON list, `GET /_hits` the count of requests per path,
`POST /_reset` clears both.

    python hostile_server.py world.json     # prints the base URL and serves until Ctrl-C

`CASES` (name → Case) is what the tests iterate over; `Case.expect_codes` lists the error codes
(or code prefixes ending in '.') that count as the right refusal.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

BASE_USDC_MAINNET = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
RANDOM_ASSET = "0x1111111254EEB25477B68fb85Ed929f73A960582"  # a real-looking, unrelated contract address


def b64(obj: Any) -> str:
    raw = obj if isinstance(obj, bytes) else (obj if isinstance(obj, str) else json.dumps(obj)).encode()
    return base64.b64encode(raw).decode()


def bad_checksum(addr: str) -> str:
    """`addr` (EIP-55) with the case of one letter flipped: mixed case whose checksum is wrong."""
    body = addr[2:]
    for i, c in enumerate(body):
        if c.isalpha():
            flipped = c.lower() if c.isupper() else c.upper()
            return "0x" + body[:i] + flipped + body[i + 1:]
    raise ValueError("address has no letters")


@dataclass
class Case:
    name: str
    what: str
    # (handler, world) -> None: writes the whole response
    respond: Callable[["Handler", dict], None]
    expect_codes: tuple[str, ...] = ("x402.", "policy.no_acceptable_option")
    expect_exit: tuple[int, ...] = (3,)
    expect_outcome: tuple[str, ...] = ("refused",)
    signs: int = 0  # how many signed requests are expected to reach the server
    slow: bool = False


# ---- offers ----------------------------------------------------------------------------------

def requirement(world: dict, **over: Any) -> dict:
    r = {"scheme": "exact", "network": world["network"], "asset": world["token"], "amount": "10000",
         "payTo": world["seller"], "maxTimeoutSeconds": 300,
         "extra": {"name": world["tokenName"], "version": world["tokenVersion"]}}
    for k, v in over.items():
        if v is DROP:
            r.pop(k, None)
        else:
            r[k] = v
    return r


DROP = object()


def offer(h: "Handler", world: dict, accepts: Any = None, **top: Any) -> dict:
    o: dict[str, Any] = {"x402Version": 2, "error": "Payment required",
                         "resource": {"url": h.url(), "description": "hostile", "mimeType": "application/json"},
                         "accepts": [requirement(world)] if accepts is None else accepts}
    if accepts is DROP:
        del o["accepts"]
    for k, v in top.items():
        if v is DROP:
            o.pop(k, None)
        else:
            o[k] = v
    return o


def v1_requirement(h: "Handler", world: dict, **over: Any) -> dict:
    r = {"scheme": "exact", "network": world.get("v1Network") or "base-sepolia", "maxAmountRequired": "10000",
         "resource": h.url(), "description": "hostile v1", "mimeType": "application/json", "payTo": world["seller"],
         "maxTimeoutSeconds": 300, "asset": world["token"],
         "extra": {"name": world["tokenName"], "version": world["tokenVersion"]}}
    r.update(over)
    return r


# ---- responders ------------------------------------------------------------------------------

def header_402(value_fn: Callable[["Handler", dict], str], body: bytes = b"{}", ctype: str = "application/json"):
    def respond(h: "Handler", world: dict) -> None:
        h.reply(402, body, ctype, {"PAYMENT-REQUIRED": value_fn(h, world)})
    return respond


def offer_402(mutate: Callable[["Handler", dict], dict]):
    return header_402(lambda h, w: b64(mutate(h, w)))


def req_402(**over: Any):
    return offer_402(lambda h, w: offer(h, w, [requirement(w, **over)]))


def base64url_offer(h: "Handler", w: dict) -> str:
    # Pad the description until the standard alphabet needs '+' or '/', then send the URL-safe form.
    for n in range(200):
        o = offer(h, w)
        o["resource"]["description"] = "hostile ~~~???>>>" + "?" * n
        raw = json.dumps(o).encode()
        std = base64.b64encode(raw).decode()
        if "+" in std and "/" in std:
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    raise AssertionError("could not make a base64url-specific encoding")


def big_header(h: "Handler", w: dict, pad: int) -> str:
    o = offer(h, w)
    o["resource"]["description"] = "A" * pad  # 4/3 of that once base64-encoded
    return b64(o)


def huge_header(h: "Handler", w: dict) -> str:
    return big_header(h, w, 768 * 1024)  # ~1 MiB


def huge_body(h: "Handler", w: dict) -> None:
    # A v1-style JSON body of ~20 MiB whose payable offer comes after the padding.
    pad = b"x" * (20 * 1024 * 1024)
    head = b'{"x402Version":1,"error":"X-PAYMENT header is required","padding":"'
    tail = ('","accepts":[' + json.dumps(v1_requirement(h, w)) + "]}").encode()
    h.send_response(402)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(head) + len(pad) + len(tail)))
    h.end_headers()
    try:
        h.wfile.write(head)
        for i in range(0, len(pad), 1 << 20):
            h.wfile.write(pad[i:i + (1 << 20)])
        h.wfile.write(tail)
    except (BrokenPipeError, ConnectionResetError):
        pass


def deep_body(h: "Handler", w: dict) -> None:
    # 400 000 nested '[' (under Purse's 1 MiB x402 document cap): a recursive parser would overflow its stack.
    depth = 400_000
    h.reply(402, b'{"x402Version":1,"accepts":' + b"[" * depth + b"]" * depth + b"}", "application/json")


def deep_header(h: "Handler", w: dict) -> str:
    depth = 20_000  # ~53 KiB once base64-encoded: under the 64 KiB header cap
    return b64('{"x402Version":2,"accepts":' + "[" * depth + "]" * depth + "}")


def endless_body(h: "Handler", w: dict) -> None:
    # A chunked 402 body that never ends, as fast as the client reads.
    h.send_response(402)
    h.send_header("Content-Type", "application/json")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"[" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    try:
        for _ in range(100_000):  # ~6 GiB at most
            h.wfile.write(frame)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    h.close_connection = True


def many_options(h: "Handler", w: dict) -> None:
    # ~0.9 MiB: as many options as fit under the 1 MiB document cap, none payable.
    h.reply(402, json.dumps({"x402Version": 1, "error": "pick one", "accepts": [
        v1_requirement(h, w, scheme=f"bogus{i}") for i in range(2000)]}).encode(), "application/json")


def html_only(h: "Handler", w: dict) -> None:
    h.reply(402, b"<html><body><h1>402 Payment Required</h1><p>Send $0.01 to 0x90F7...</p></body></html>",
            "text/html; charset=utf-8")


def slow_loris(h: "Handler", w: dict) -> None:
    # Headers (with a payable offer) at once, then the body at 1 byte per second.
    h.send_response(402)
    h.send_header("Content-Type", "application/json")
    h.send_header("PAYMENT-REQUIRED", b64(offer(h, w)))
    h.send_header("Content-Length", "100000")
    h.end_headers()
    try:
        h.wfile.flush()
        for _ in range(120):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(1)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass


def redirect_chain(h: "Handler", w: dict) -> None:
    # /redirect-chain → /redirect-chain/1 → … → /redirect-chain/20 → a payable 402
    tail = h.path.split("?")[0].removeprefix("/redirect-chain").strip("/")
    n = int(tail) if tail.isdigit() else 0
    if n < 20:
        h.reply(302, b"", "text/plain", {"Location": f"/redirect-chain/{n + 1}"})
    else:
        h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w))})


def stateful_402_again(h: "Handler", w: dict) -> None:
    # A valid offer; the paid retry gets a *new, pricier* 402 (which must not be paid again).
    if h.signed_header():
        h.reply(402, b"{}", "application/json",
                {"PAYMENT-REQUIRED": b64(offer(h, w, [requirement(w, amount="50000")], error="try again, pay more"))})
    else:
        h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w))})


def always_402(h: "Handler", w: dict) -> None:
    # The same valid offer to every request, the paid retry included.
    h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w))})


def price_change(h: "Handler", w: dict) -> None:
    # The first unpaid request (the quote) sees 0.01; every later one 0.50 (above the 0.10 cap).
    n = h.server.hits.get(h.route(), 0)
    amount = "10000" if n <= 1 else "500000"
    h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w, [requirement(w, amount=amount)]))})


X402 = ("x402.",)
NOPT = ("x402.", "policy.no_acceptable_option")
NO_OPTION = ("policy.no_acceptable_option",)
TRANSPORT = ("http.",)


def _cases() -> list[Case]:
    c = Case
    return [
        c("bad-base64", "PAYMENT-REQUIRED is not base64", header_402(lambda h, w: "!!not*base64@@" * 3), ("x402.bad_base64",)),
        c("base64url", "PAYMENT-REQUIRED in the URL-safe alphabet without padding", header_402(base64url_offer), ("x402.bad_base64",)),
        c("not-json", "valid base64 of text that is not JSON", header_402(lambda h, w: b64(b"hello, I am not JSON {")), ("x402.bad_json",)),
        c("json-array", "the header decodes to a JSON array", header_402(lambda h, w: b64([offer(h, w)])), ("x402.not_an_object", "x402.wrong_type")),
        c("missing-accepts", "no `accepts`", offer_402(lambda h, w: offer(h, w, accepts=DROP)), ("x402.missing_field",)),
        c("empty-accepts", "`accepts: []`", offer_402(lambda h, w: offer(h, w, accepts=[])), ("x402.no_requirements",) + NO_OPTION),
        c("version-string", 'x402Version "2" (a string)', offer_402(lambda h, w: offer(h, w, x402Version="2")), ("x402.wrong_type", "x402.unsupported_version")),
        c("version-3", "x402Version 3", offer_402(lambda h, w: offer(h, w, x402Version=3)), ("x402.unsupported_version",)),
        c("missing-amount", "no amount", req_402(amount=DROP), ("x402.missing_field",) + NO_OPTION),
        c("amount-number", "amount as a JSON number", req_402(amount=10000), ("x402.wrong_type",) + NO_OPTION),
        c("amount-negative", 'amount "-10000"', req_402(amount="-10000"), ("x402.bad_value",) + NO_OPTION),
        c("amount-zero", 'amount "0"', req_402(amount="0"), NOPT),
        c("amount-1e30", "amount 10^30", req_402(amount="1" + "0" * 30), NOPT),
        c("amount-fraction", 'amount "10.5"', req_402(amount="10.5"), ("x402.bad_value",) + NO_OPTION),
        c("amount-mismatch", "amount 10000 and maxAmountRequired 200000000", req_402(maxAmountRequired="200000000"), ("x402.bad_value",) + NO_OPTION),
        c("scheme-unknown", 'scheme "bogus"', req_402(scheme="bogus"), NO_OPTION),
        c("network-unknown", "network eip155:999999", req_402(network="eip155:999999"), NO_OPTION),
        c("network-solana", "a solana: network", req_402(network="solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
                                                            asset="EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
                                                            payTo="9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"), NO_OPTION),
        c("network-mainnet", "eip155:8453 with Base USDC (not allowed by a testnet policy)",
          req_402(network="eip155:8453", asset=BASE_USDC_MAINNET), NO_OPTION),
        c("asset-unknown", "an asset that is not the network's known token", req_402(asset=RANDOM_ASSET), NO_OPTION),
        c("payto-not-address", "payTo is not an address", req_402(payTo="not-an-address"), NOPT),
        # Purse catches this one only when signing (after reserving): sign.bad_pay_to, row released.
        c("payto-bad-checksum", "payTo with a wrong EIP-55 checksum", offer_402(
            lambda h, w: offer(h, w, [requirement(w, payTo=bad_checksum(w["seller"]))])), NOPT + ("sign.bad_pay_to",)),
        c("extra-missing", "no `extra` (no EIP-712 domain)", req_402(extra=DROP), NOPT),
        c("extra-null", "`extra: null`", req_402(extra=None), NOPT),
        c("extra-no-version", "`extra` without version", req_402(extra={"name": "USDC"}), NOPT),
        c("timeout-zero", "maxTimeoutSeconds 0", req_402(maxTimeoutSeconds=0), NOPT),
        c("timeout-1e9", "maxTimeoutSeconds 10^9", req_402(maxTimeoutSeconds=10**9), NOPT),
        c("price-over-cap", "0.20 with maxPerRequest 0.10", req_402(amount="200000"),
          NO_OPTION + ("budget.per_request_exceeded",)),
        # upfront is payable since issue 12 (shown in quote and the approval prompt); escrow settles
        # twice, which one EIP-3009 authorization cannot do, and an unknown flow is refused.
        c("flow-escrow", 'extra.paymentFlow "escrow" on exact', req_402(extra={"name": "USDC", "version": "2", "paymentFlow": "escrow"}), NOPT),
        c("flow-unknown", 'extra.paymentFlow "later"', req_402(extra={"name": "USDC", "version": "2", "paymentFlow": "later"}), NOPT),
        c("big-header-80k", "~80 KiB PAYMENT-REQUIRED (over Purse's 64 KiB, under curl's 100 KiB)",
          header_402(lambda h, w: big_header(h, w, 60 * 1024)), ("http.headers_too_large",), expect_exit=(1, 3), expect_outcome=("refused", "error")),
        c("huge-header", "~1 MiB PAYMENT-REQUIRED header", header_402(huge_header), X402 + TRANSPORT + NO_OPTION, expect_exit=(1, 3), expect_outcome=("refused", "error")),
        c("huge-body", "~20 MiB v1 402 body, the offer after the padding", huge_body, X402 + TRANSPORT, expect_exit=(1, 3), expect_outcome=("refused", "error")),
        c("deep-nesting-body", "v1 body: 400 000 nested '[' (stack exhaustion)", deep_body, X402),
        c("deep-nesting-header", "PAYMENT-REQUIRED: 20000 nested '['", header_402(deep_header), X402),
        c("endless-body", "a chunked 402 body that never ends", endless_body, X402 + TRANSPORT, expect_exit=(1, 3), expect_outcome=("refused", "error"), slow=True),
        c("many-options", "2000 options (~0.9 MiB), none payable", many_options, NOPT),
        c("amount-hex", 'amount "0x2710"', req_402(amount="0x2710"), NOPT),
        c("amount-exponent", 'amount "1e4"', req_402(amount="1e4"), NOPT),
        c("network-leading-zero", "network eip155:084532 (the right chain, spelled oddly)", req_402(network="eip155:084532"), NOPT),
        c("html-only", "402 with an HTML body and no payment info", html_only, ("x402.no_payment_info", "x402.bad_json")),
        c("slow-loris", "402 headers, then 1 byte/s (http.timeoutMs 3000)", slow_loris, ("http.timeout", "http."),
          expect_exit=(1, 3), expect_outcome=("refused", "error"), slow=True),
        c("redirect-chain", "302 × 20, then a payable 402: the first 302 is returned", redirect_chain, (),
          expect_exit=(0,), expect_outcome=("not_required",)),
        c("paid-then-402", "valid offer; the paid retry gets a new, pricier 402", stateful_402_again, ("payment.failed",),
          expect_exit=(4,), expect_outcome=("failed",), signs=1),
        c("always-402", "the same 402 to every request, the paid one included", always_402, ("payment.failed",),
          expect_exit=(4,), expect_outcome=("failed",), signs=1),
        c("price-change", "quote sees 0.01, the fetch sees 0.50 (> cap)", price_change, NO_OPTION),
    ]


CASES: dict[str, Case] = {c.name: c for c in _cases()}


# ---- x402 extensions (issue 12): one case per new field ------------------------------------------
#
# These need more than one request or a fake settlement, so they have their own expectations
# (`ExtCase`) and their own test (test_hostile.py::test_hostile_extension_case). The server never
# settles anything: a "success" receipt it sends is a lie that the chain contradicts.

FAKE_TX = "0x" + "11" * 32
# A throw-away key the hostile server signs its offers and receipts with (test only).
HOSTILE_OFFER_KEY = "0x" + "5a" * 32


def _typed(kind: str, payload: dict) -> dict:
    domain_type = [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}]
    if kind == "offer":
        fields = [("version", "uint256"), ("resourceUrl", "string"), ("scheme", "string"), ("network", "string"),
                  ("asset", "string"), ("payTo", "string"), ("amount", "string"), ("validUntil", "uint256")]
    else:
        fields = [("version", "uint256"), ("network", "string"), ("resourceUrl", "string"), ("payer", "string"),
                  ("issuedAt", "uint256"), ("transaction", "string")]
    primary = "Offer" if kind == "offer" else "Receipt"
    return {"types": {"EIP712Domain": domain_type, primary: [{"name": n, "type": t} for n, t in fields]},
            "primaryType": primary, "domain": {"name": f"x402 {kind}", "version": "1", "chainId": 1}, "message": dict(payload)}


def sign_artifact(kind: str, payload: dict) -> str:
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    return "0x" + bytes(Account.sign_message(encode_typed_data(full_message=_typed(kind, payload)), HOSTILE_OFFER_KEY).signature).hex()


def offer_ext(h: "Handler", w: dict, *, valid_until: int, signature: str | None = None) -> dict:
    payload = {"version": 1, "resourceUrl": h.url(), "scheme": "exact", "network": w["network"], "asset": w["token"],
               "payTo": w["seller"], "amount": "10000", "validUntil": valid_until}
    return {"offer-receipt": {"info": {"offers": [{"format": "eip712", "acceptIndex": 0, "payload": payload,
                                                   "signature": signature or sign_artifact("offer", payload)}]}}}


def fake_settled(h: "Handler", w: dict, extensions: dict | None = None) -> None:
    payer = None
    try:
        payer = json.loads(base64.b64decode(h.signed_header()))["payload"]["authorization"]["from"]
    except Exception:  # noqa: BLE001 - a hostile server does not care
        pass
    doc = {"success": True, "transaction": FAKE_TX, "network": w["network"], "payer": payer}
    if extensions:
        doc["extensions"] = extensions
    h.reply(200, b'{"content":"hostile"}', "application/json", {"PAYMENT-RESPONSE": b64(doc)})


def pid_oversized(h: "Handler", w: dict) -> None:
    # The server pre-fills a 20,000-character id and requires the extension; the client's own id must win.
    ext = {"payment-identifier": {"info": {"required": True, "id": "S" * 20_000}, "schema": {"type": "object"}}}
    h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w, extensions=ext))})


def siwx_challenge(domain: str, uri: str, statement: str = "Sign in to hostile") -> dict:
    now = time.time()
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
    return {"sign-in-with-x": {"info": {"domain": domain, "uri": uri, "version": "1", "nonce": "a1b2c3d4e5f60718",
                                        "issuedAt": iso(now - 5), "expirationTime": iso(now + 300), "statement": statement},
                               "supportedChains": [{"chainId": "eip155:84532", "type": "eip191"}]}}


def siwx_case(challenge: Callable[["Handler"], dict]):
    def respond(h: "Handler", w: dict) -> None:
        if h.headers.get("SIGN-IN-WITH-X"):
            return h.reply(200, b'{"signedIn":true}', "application/json")
        if h.signed_header():
            return fake_settled(h, w)
        h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w, extensions=challenge(h)))})
    return respond


def offer_case(**kw):
    def respond(h: "Handler", w: dict) -> None:
        h.reply(402, b"{}", "application/json", {"PAYMENT-REQUIRED": b64(offer(h, w, extensions=offer_ext(h, w, **kw)))})
    return respond


def receipt_other_payment(h: "Handler", w: dict) -> None:
    if not h.signed_header():
        return h.reply(402, b"{}", "application/json",
                       {"PAYMENT-REQUIRED": b64(offer(h, w, extensions=offer_ext(h, w, valid_until=int(time.time()) + 3600)))})
    # A receipt, signed by the offer's key, for another payer of another resource.
    payload = {"version": 1, "network": w["network"], "resourceUrl": h.url().replace("/receipt-other-payment", "/elsewhere"),
               "payer": w["seller"], "issuedAt": int(time.time()), "transaction": FAKE_TX}
    fake_settled(h, w, {"offer-receipt": {"info": {"receipt": {"format": "eip712", "payload": payload,
                                                              "signature": sign_artifact("receipt", payload)}}}})


@dataclass
class ExtCase:
    name: str
    what: str
    respond: Callable[["Handler", dict], None]
    fetches: int = 1                  # the case is fetched this many times with one database
    expect_outcome: str = "refused"   # of the last fetch
    expect_code: str | None = None    # error code (or signIn code) of the last fetch
    signs: int = 0                    # payment signatures that reach the server in all
    signins: int = 0                  # SIGN-IN-WITH-X headers that reach the server


def _ext_cases() -> list[ExtCase]:
    e = ExtCase
    return [
        e("pid-oversized-id", "payment-identifier required, pre-filled with a 20,000-character server id", pid_oversized,
          expect_outcome="failed", expect_code="payment.failed", signs=1),
        e("siwx-other-domain", "a paid resource offers sign-in for domain evil.example",
          siwx_case(lambda h: siwx_challenge("evil.example", "http://evil.example" + h.path)), fetches=2,
          expect_outcome="paid", expect_code="siwx.domain_mismatch", signs=2),
        e("siwx-other-uri", "sign-in for the right domain but a uri on another origin",
          siwx_case(lambda h: siwx_challenge(h.headers.get("Host", ""), "http://evil.example/siwx-other-uri")), fetches=2,
          expect_outcome="paid", expect_code="siwx.uri_mismatch", signs=2),
        e("siwx-injected-statement", "a statement that smuggles a second URI line into the EIP-4361 text",
          siwx_case(lambda h: siwx_challenge(h.headers.get("Host", ""), h.url(), "hi\nURI: http://evil.example/")), fetches=2,
          expect_outcome="paid", expect_code="siwx.bad_challenge", signs=2),
        e("offer-bad-signature", "a matching offer whose signature is 65 zero bytes",
          offer_case(valid_until=0, signature="0x" + "00" * 65), expect_code="x402.offer_mismatch"),
        e("offer-expired", "a matching, genuinely signed offer that expired an hour ago",
          offer_case(valid_until=int(time.time()) - 3600), expect_code="x402.offer_mismatch"),
        e("receipt-other-payment", "a success with a signed receipt for another payer and resource", receipt_other_payment,
          expect_outcome="paid", signs=1),
    ]


EXT_CASES: dict[str, ExtCase] = {c.name: c for c in _ext_cases()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: "HostileServer"

    def log_message(self, *a):  # quiet
        pass

    def url(self) -> str:
        return f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}"

    def route(self) -> str:
        p = self.path.split("?")[0]
        return "/redirect-chain" if p.startswith("/redirect-chain") else p

    def signed_header(self) -> str | None:
        return self.headers.get("PAYMENT-SIGNATURE") or self.headers.get("X-PAYMENT")

    def reply(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _record(self) -> None:
        route = self.route()
        with self.server.lock:
            self.server.hits[route] = self.server.hits.get(route, 0) + 1
            signin = self.headers.get("SIGN-IN-WITH-X")
            if signin is not None:
                self.server.signins.append({"route": route, "value": signin[:4096], "at": time.time()})
            sig = self.signed_header()
            if sig is not None:
                self.server.signed.append({"path": self.path, "route": route, "method": self.command,
                                           "header": "PAYMENT-SIGNATURE" if self.headers.get("PAYMENT-SIGNATURE") else "X-PAYMENT",
                                           "value": sig[:4096], "at": time.time()})

    def _dispatch(self) -> None:
        p = self.path.split("?")[0]
        if p == "/_signed":
            with self.server.lock:
                return self.reply(200, json.dumps(self.server.signed).encode(), "application/json")
        if p == "/_hits":
            with self.server.lock:
                return self.reply(200, json.dumps(self.server.hits).encode(), "application/json")
        if p == "/_reset":
            with self.server.lock:
                self.server.signed.clear()
                self.server.hits.clear()
            return self.reply(200, b"{}", "application/json")
        if p == "/free":
            self._record()
            return self.reply(200, b'{"free":true}', "application/json")
        self._record()
        case = CASES.get(self.route().lstrip("/")) or EXT_CASES.get(self.route().lstrip("/"))
        if case is None:
            return self.reply(404, b"no such case", "text/plain")
        case.respond(self, self.server.world)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self._dispatch()

    do_HEAD = do_GET


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that hang up on the slow-loris or giant answers are expected; stay quiet.
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError, TimeoutError)):
            super().handle_error(request, client_address)

    def __init__(self, world: dict, host: str = "127.0.0.1"):
        super().__init__((host, 0), Handler)
        self.world = world
        self.lock = threading.Lock()
        self.signed: list[dict] = []
        self.signins: list[dict] = []
        self.hits: dict[str, int] = {}
        self.thread: threading.Thread | None = None
        self.active = 0  # connections accepted and not yet fully handled
        self.quiet = threading.Condition()

    def process_request(self, request, client_address):
        with self.quiet:
            self.active += 1
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.quiet:
                self.active -= 1
                self.quiet.notify_all()

    def settle(self, timeout: float = 15.0) -> None:
        """Returns once every connection made to this server so far has been handled, so its
        requests are in `signed` and `hits`: events, not a sleep. A round trip of our own proves
        the earlier connections were accepted (the listen queue is first in, first out); then it
        waits for their handlers to finish (a client that hung up ends its handler at the next
        write, within about a second even for the slow loris)."""
        urllib.request.urlopen(self.base_url + "/_hits", timeout=timeout).read()
        with self.quiet:
            if not self.quiet.wait_for(lambda: self.active == 0, timeout):
                raise TimeoutError(f"{self.active} connection(s) still being handled after {timeout} s")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "HostileServer":
        self.thread = threading.Thread(target=self.serve_forever, name="hostile", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def signed_for(self, route: str) -> list[dict]:
        with self.lock:
            return [s for s in self.signed if s["route"] == route]

    def signins_for(self, route: str) -> list[dict]:
        with self.lock:
            return [s for s in self.signins if s["route"] == route]

    def hits_for(self, route: str) -> int:
        with self.lock:
            return self.hits.get(route, 0)


def main() -> int:
    world = json.load(open(sys.argv[1]))
    srv = HostileServer(world).start()
    print(srv.base_url, flush=True)
    for name, c in CASES.items():
        print(f"  {srv.base_url}/{name}  — {c.what}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
