"""x402 extension routes of the local seller, on the official SDK (x402 2.25). TEST ONLY.

Installed into the seller app by `install()`. Each group of routes has its own SDK resource server
(x402ResourceServer + HTTPFacilitatorClient + payment_middleware), because the SDK keeps one
extension per key per server (four SIWx variants) and one facilitator per server (the
settlement_pending facilitators). One pure-ASGI dispatcher in front of the app sends a request to
its group's middleware by exact path; every other path (the original routes) goes straight on.

Routes (all GET, all v2, price $0.01 = 10000 unless said):
  /weather-id, /weather-id-drop  payment-identifier (required) + bazaar; the seller demands the
                                 echoes (400) and dedupes by id (cache, 409). See IdempotencyGuard.
  /weather-upfront, /fail-upfront  extra.paymentFlow = "upfront" (settled before the handler).
  /siwx-weather, /siwx-other-domain, /siwx-expired, /siwx-other-chain   sign-in-with-x.
  /offer-weather, /offer-tampered-payto, /offer-tampered-amount ($0.02), /offer-expired,
  /offer-bad-signature, /receipt-bad, /receipt-wrong-tx              offer-receipt (offers.py).
  /weather-pending, /weather-pending-recovers   settled through the settlement_pending facilitators.
  /weather-mainnet               hand-written 402 on eip155:8453 only (never payable here).
  /id-log, /siwx-log             free: what the seller saw.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware
from x402.extensions.bazaar import OutputConfig, declare_discovery_extension
from x402.extensions.payment_identifier import (
    PAYMENT_IDENTIFIER,
    declare_payment_identifier_extension,
    is_valid_payment_id,
    payment_identifier_resource_server_extension,
)
from x402.extensions.sign_in_with_x import (
    CreateSIWxResourceServerExtensionOptions,
    DeclareSIWxOptions,
    InMemorySIWxStorage,
    create_siwx_resource_server_extension,
    declare_siwx_extension,
)
from x402.http import FacilitatorConfig, HTTPFacilitatorClient
from x402.http.middleware.fastapi import payment_middleware
from x402.http.types import PaymentOption, RouteConfig
from x402.mechanisms.evm.exact import ExactEvmServerScheme
from x402.schemas import AssetAmount
from x402.server import x402ResourceServer

import offers as offersmod

log = logging.getLogger("world.sellerext")

TOKEN_EXTRA = {"name": "USDC", "version": "2"}
DECIMALS = 6
MAX_TIMEOUT = 300
BASE_MAINNET = "eip155:8453"
BASE_MAINNET_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
REPORT = {"weather": "sunny", "temperature": 21}
SIWX_OTHER_ORIGIN = "http://other.invalid"
SIWX_OTHER_CHAIN = "eip155:1"
# How long a resend waits for the original request with the same id to finish.
IN_FLIGHT_WAIT = 30.0

PATHS = {
    "weatherId": "/weather-id",
    "weatherIdDrop": "/weather-id-drop",
    "idLog": "/id-log",
    "weatherUpfront": "/weather-upfront",
    "failUpfront": "/fail-upfront",
    "siwxWeather": "/siwx-weather",
    "siwxOtherDomain": "/siwx-other-domain",
    "siwxExpired": "/siwx-expired",
    "siwxOtherChain": "/siwx-other-chain",
    "siwxLog": "/siwx-log",
    "offerWeather": "/offer-weather",
    "offerTamperedPayTo": "/offer-tampered-payto",
    "offerTamperedAmount": "/offer-tampered-amount",
    "offerExpired": "/offer-expired",
    "offerBadSignature": "/offer-bad-signature",
    "receiptBad": "/receipt-bad",
    "receiptWrongTx": "/receipt-wrong-tx",
    "weatherPending": "/weather-pending",
    "weatherPendingRecovers": "/weather-pending-recovers",
    "weatherMainnet": "/weather-mainnet",
}
# Atomic units of the local token for each paid route (weatherMainnet: of Base-mainnet USDC).
PRICES = {k: ("20000" if k == "offerTamperedAmount" else "10000") for k in PATHS
          if k not in ("idLog", "siwxLog")}


@dataclass
class ExtConfig:
    chain_id: int
    network: str
    token: str
    seller: str
    facilitator_url: str
    seller_origin: str                 # http://127.0.0.1:<seller port>, the SIWx origin
    pending_urls: dict[str, str]       # {"once": url, "stuck": url}
    offer_key: str
    offer_wrong_key: str
    offer_other_pay_to: str
    offer_valid_until: int
    offer_expired_at: int


# ---- logs -------------------------------------------------------------------------------------


class IdLog:
    """Per payment id: requests seen, verify/settle calls made, distinct payload hashes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ids: dict[str, dict] = {}

    def _entry(self, pid: str, route: str | None = None) -> dict:
        e = self._ids.get(pid)
        if e is None:
            e = self._ids[pid] = {"route": route, "requests": 0, "verifies": 0, "settles": 0, "settled": 0,
                                  "replayed": 0, "conflicts": 0, "payloadHashes": []}
        if route and not e["route"]:
            e["route"] = route
        return e

    def request(self, pid: str, route: str, payload_hash: str) -> None:
        with self._lock:
            e = self._entry(pid, route)
            e["requests"] += 1
            if payload_hash not in e["payloadHashes"]:
                e["payloadHashes"].append(payload_hash)

    def bump(self, pid: str | None, key: str) -> None:
        if not pid:
            return
        with self._lock:
            self._entry(pid)[key] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"ids": {k: {**v, "payloadHashes": list(v["payloadHashes"]),
                                "distinctPayloads": len(v["payloadHashes"])} for k, v in self._ids.items()}}


def payment_id_of(payload: Any) -> str | None:
    ext = getattr(payload, "extensions", None) if not isinstance(payload, dict) else payload.get("extensions")
    if not isinstance(ext, dict):
        return None
    pi = ext.get(PAYMENT_IDENTIFIER)
    info = pi.get("info") if isinstance(pi, dict) else None
    pid = info.get("id") if isinstance(info, dict) else None
    return pid if isinstance(pid, str) else None


_SUPPORTED_CACHE: dict[str, Any] = {}
_SUPPORTED_LOCK = threading.Lock()


class CountingFacilitator(HTTPFacilitatorClient):
    """The SDK's async facilitator client, counting verify/settle calls per payment id.

    Start-up cost: every SDK middleware fetches /supported once with a throw-away sync
    httpx.Client, and a default httpx.Client loads the whole CA bundle (tens of ms). The world's
    facilitator URLs are plain http on loopback, so the client skips that, and one /supported
    answer per URL is shared by all groups.
    """

    def __init__(self, url: str, id_log: IdLog):
        super().__init__(FacilitatorConfig(url=url))
        self._id_log = id_log

    def _get_sync_client(self):
        import httpx

        return httpx.Client(timeout=self._timeout, verify=False)

    def get_supported(self):
        with _SUPPORTED_LOCK:
            cached = _SUPPORTED_CACHE.get(self._url)
            if cached is None:
                cached = _SUPPORTED_CACHE[self._url] = super().get_supported()
            return cached.model_copy(deep=True)

    async def verify(self, payload, requirements):
        self._id_log.bump(payment_id_of(payload), "verifies")
        return await super().verify(payload, requirements)

    async def settle(self, payload, requirements):
        pid = payment_id_of(payload)
        self._id_log.bump(pid, "settles")
        res = await super().settle(payload, requirements)
        if res.success:
            self._id_log.bump(pid, "settled")
        return res


# ---- payment-identifier guard -----------------------------------------------------------------


@dataclass
class _Cached:
    payload_hash: str
    done: asyncio.Event = field(default_factory=asyncio.Event)
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    ok: bool = False


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status,
                        headers={"Cache-Control": "no-store"})


async def _materialize(resp: Response) -> tuple[int, list[tuple[str, str]], bytes]:
    if hasattr(resp, "body_iterator"):
        body = b"".join([chunk async for chunk in resp.body_iterator])
    else:
        body = bytes(resp.body)
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.raw_headers
               if k.lower() != b"content-length"]
    return resp.status_code, headers, body


def _rebuild(status: int, headers: list[tuple[str, str]], body: bytes) -> Response:
    r = Response(content=body, status_code=status)
    for k, v in headers:
        if k.lower() != "content-length":
            r.headers.append(k, v)
    return r


class IdempotencyGuard:
    """What the SDK leaves to the seller (docs/test-world.md): demand the echoes, dedupe by id.

    For a request carrying PAYMENT-SIGNATURE (decodable base64 JSON; anything else goes to the SDK,
    which answers 402):
      - no `extensions["payment-identifier"].info.id`      → 400 payment_identifier_required
      - id not 16–128 chars of [A-Za-z0-9_-]               → 400 invalid_payment_identifier
      - no `extensions.bazaar` echo                        → 400 bazaar_echo_missing
      - no `resource` echo                                 → 400 resource_echo_missing
    Then, keyed by (path, id) and bound to sha256 of the decoded payload bytes:
      - first sight: the SDK handles it (verify, handler, settle); the response is stored as sent
        (status, headers incl. PAYMENT-RESPONSE, body), whatever it is;
      - same id, same bytes: the stored response (waits up to 30 s if the first is in flight),
        without verify or settle;
      - same id, other bytes: 409 payment_identifier_conflict.
    """

    def __init__(self, sdk_dispatch, id_log: IdLog):
        self.sdk = sdk_dispatch
        self.id_log = id_log
        self.cache: dict[tuple[str, str], _Cached] = {}
        self.lock = asyncio.Lock()

    async def __call__(self, request: Request, call_next) -> Response:
        header = request.headers.get("payment-signature")
        if not header:
            return await self.sdk(request, call_next)
        try:
            raw = base64.b64decode(header, validate=True)
            payload = json.loads(raw)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except Exception:  # noqa: BLE001 - let the SDK answer its usual 402
            return await self.sdk(request, call_next)
        ext = payload.get("extensions")
        ext = ext if isinstance(ext, dict) else {}
        pi = ext.get(PAYMENT_IDENTIFIER)
        info = pi.get("info") if isinstance(pi, dict) else None
        pid = info.get("id") if isinstance(info, dict) else None
        if pid is None:
            return _error(400, "payment_identifier_required",
                          "this route requires extensions[\"payment-identifier\"].info.id")
        if not isinstance(pid, str) or not is_valid_payment_id(pid):
            return _error(400, "invalid_payment_identifier", "id must be 16-128 characters of [A-Za-z0-9_-]")
        if not isinstance(ext.get("bazaar"), dict):
            return _error(400, "bazaar_echo_missing", "the declared bazaar extension was not echoed")
        if not isinstance(payload.get("resource"), dict):
            return _error(400, "resource_echo_missing", "the resource object was not echoed")

        path = request.url.path
        digest = hashlib.sha256(raw).hexdigest()
        self.id_log.request(pid, path, digest)
        key = (path, pid)
        async with self.lock:
            entry = self.cache.get(key)
            first = entry is None
            if first:
                entry = self.cache[key] = _Cached(payload_hash=digest)
        if not first:
            if entry.payload_hash != digest:
                self.id_log.bump(pid, "conflicts")
                return _error(409, "payment_identifier_conflict",
                              "this payment id was used with a different payment payload")
            try:
                await asyncio.wait_for(entry.done.wait(), IN_FLIGHT_WAIT)
            except asyncio.TimeoutError:
                return _error(503, "payment_identifier_in_flight", "the original request is still running; retry")
            if not entry.ok:
                return _error(503, "payment_identifier_unavailable", "the original request failed; retry")
            self.id_log.bump(pid, "replayed")
            return _rebuild(entry.status, entry.headers, entry.body)
        try:
            resp = await self.sdk(request, call_next)
            entry.status, entry.headers, entry.body = await _materialize(resp)
            entry.ok = True
        except BaseException:
            async with self.lock:  # nothing stored: a resend is processed afresh
                self.cache.pop(key, None)
            raise
        finally:
            entry.done.set()
        return _rebuild(entry.status, entry.headers, entry.body)


# ---- dispatcher -------------------------------------------------------------------------------


class PathDispatch:
    """Pure ASGI: exact-path routing of requests to per-group HTTP middlewares."""

    def __init__(self, app, groups: dict[str, Any]):
        self.app = app
        self.by_path = {path: BaseHTTPMiddleware(app, dispatch=fn) for path, fn in groups.items()}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            target = self.by_path.get(scope["path"])
            if target is not None:
                await target(scope, receive, send)
                return
        await self.app(scope, receive, send)


# ---- install ----------------------------------------------------------------------------------


@dataclass
class SellerExt:
    id_log: IdLog
    siwx_events: list
    offer_ext: offersmod.OfferReceiptExtension
    paths: dict


def install(app: FastAPI, x: ExtConfig) -> SellerExt:
    id_log = IdLog()
    siwx_events: list[dict] = []
    siwx_lock = threading.Lock()

    def on_siwx_event(variant: str):
        def record(event: dict) -> None:
            with siwx_lock:
                siwx_events.append({"variant": variant, **event})
        return record

    def local_money(amount: Any, network: str) -> AssetAmount | None:
        if network != x.network:
            return None
        return AssetAmount(amount=str(int(Decimal(str(amount)) * 10**DECIMALS)), asset=x.token,
                           extra=dict(TOKEN_EXTRA))

    def resource_server(facilitator_url: str, extensions=()) -> x402ResourceServer:
        server = x402ResourceServer(CountingFacilitator(facilitator_url, id_log))
        scheme = ExactEvmServerScheme()
        scheme.register_money_parser(local_money)
        server.register(x.network, scheme)
        for e in extensions:
            server.register_extension(e)
        return server

    def option(price: str = "$0.01", extra: dict | None = None) -> PaymentOption:
        return PaymentOption(scheme="exact", pay_to=x.seller, price=price, network=x.network,
                             max_timeout_seconds=MAX_TIMEOUT, extra=extra)

    def route(description: str, price: str = "$0.01", extra: dict | None = None, extensions: dict | None = None,
              **kw) -> RouteConfig:
        return RouteConfig(accepts=option(price, extra), description=description, mime_type="application/json",
                           extensions=extensions, **kw)

    groups: dict[str, Any] = {}

    # 1. payment-identifier + bazaar, upfront, offer-receipt: the main facilitator.
    offer_ext = offersmod.OfferReceiptExtension(x.offer_key, x.offer_wrong_key, x.offer_other_pay_to,
                                                x.offer_valid_until, x.offer_expired_at)
    id_ext = {PAYMENT_IDENTIFIER: declare_payment_identifier_extension(required=True),
              **declare_discovery_extension(output=OutputConfig(example={"report": REPORT, "paid": True}))}
    p = PATHS
    main_routes = {
        f"GET {p['weatherId']}": route("Weather; payment-identifier required", extensions=id_ext,
                                       service_name="Purse test weather", tags=["weather", "test"]),
        f"GET {p['weatherIdDrop']}": route("Weather; payment-identifier required; first answer dropped",
                                           extensions=id_ext, service_name="Purse test weather",
                                           tags=["weather", "test"]),
        f"GET {p['weatherUpfront']}": route("Weather; settled before the handler (upfront)",
                                            extra={"paymentFlow": "upfront"}),
        f"GET {p['failUpfront']}": route("Settled before the handler, which then fails (500)",
                                         extra={"paymentFlow": "upfront"}),
        f"GET {p['offerWeather']}": route("Weather with a signed offer and receipt", extensions=offersmod.declare("valid")),
        f"GET {p['offerTamperedPayTo']}": route("Offer signed for another payTo",
                                                extensions=offersmod.declare("tampered-payto")),
        f"GET {p['offerTamperedAmount']}": route("Offer signed for half the amount asked", price="$0.02",
                                                 extensions=offersmod.declare("tampered-amount")),
        f"GET {p['offerExpired']}": route("Offer whose validUntil is past", extensions=offersmod.declare("expired")),
        f"GET {p['offerBadSignature']}": route("Offer signed by a key other than the published signer",
                                               extensions=offersmod.declare("bad-signature")),
        f"GET {p['receiptBad']}": route("Valid offer; receipt signed by a wrong key",
                                        extensions=offersmod.declare("receipt-bad-key")),
        f"GET {p['receiptWrongTx']}": route("Valid offer; receipt names another transaction",
                                            extensions=offersmod.declare("receipt-wrong-tx")),
    }
    main_mw = payment_middleware(routes=main_routes,
                                 server=resource_server(x.facilitator_url,
                                                        [payment_identifier_resource_server_extension, offer_ext]))
    guard = IdempotencyGuard(main_mw, id_log)
    for key_ in main_routes:
        path = key_.split(" ", 1)[1]
        groups[path] = guard if path in (p["weatherId"], p["weatherIdDrop"]) else main_mw

    # 2. sign-in-with-x: one resource server per variant (one SIWx extension per server).
    siwx_variants = {
        p["siwxWeather"]: (x.seller_origin, DeclareSIWxOptions(statement="Sign in to the Purse test weather",
                                                               expiration_seconds=300)),
        p["siwxOtherDomain"]: (SIWX_OTHER_ORIGIN, DeclareSIWxOptions(statement="Sign in to another site",
                                                                     expiration_seconds=300)),
        p["siwxExpired"]: (x.seller_origin, DeclareSIWxOptions(statement="An already expired challenge",
                                                               expiration_seconds=-3600)),
        p["siwxOtherChain"]: (x.seller_origin, DeclareSIWxOptions(statement="Sign in on another chain",
                                                                  expiration_seconds=300, network=SIWX_OTHER_CHAIN)),
    }
    for path, (origin, opts) in siwx_variants.items():
        ext = create_siwx_resource_server_extension(CreateSIWxResourceServerExtensionOptions(
            origin=origin, storage=InMemorySIWxStorage(), on_event=on_siwx_event(path)))
        mw = payment_middleware(routes={f"GET {path}": route(f"Weather; sign-in-with-x ({path})",
                                                             extensions=declare_siwx_extension(opts))},
                                server=resource_server(x.facilitator_url, [ext]))
        groups[path] = mw

    # 3. settlement_pending: each its own facilitator.
    for path, mode in ((p["weatherPending"], "stuck"), (p["weatherPendingRecovers"], "once")):
        mw = payment_middleware(routes={f"GET {path}": route(f"Weather; facilitator answers settlement_pending ({mode})")},
                                server=resource_server(x.pending_urls[mode]))
        groups[path] = mw

    app.add_middleware(PathDispatch, groups=groups)

    # ---- handlers ----

    async def weather(request: Request) -> Any:
        return {"report": REPORT, "paid": True, "route": request.url.path}

    for path in groups:
        if path != p["failUpfront"]:
            app.add_api_route(path, weather, methods=["GET"])

    @app.get(p["failUpfront"])
    async def fail_upfront() -> Any:
        return JSONResponse({"error": "handler failed after an upfront settlement"}, status_code=500)

    @app.get(p["idLog"])
    async def id_log_route() -> Any:
        return id_log.snapshot()

    @app.get(p["siwxLog"])
    async def siwx_log_route() -> Any:
        with siwx_lock:
            return {"events": list(siwx_events)}

    mainnet_accepts = [{"scheme": "exact", "network": BASE_MAINNET, "amount": "10000", "asset": BASE_MAINNET_USDC,
                        "payTo": x.seller, "maxTimeoutSeconds": MAX_TIMEOUT,
                        "extra": {"name": "USD Coin", "version": "2"}}]

    @app.get(p["weatherMainnet"])
    async def weather_mainnet(request: Request) -> Response:
        """Only payable on Base mainnet, which this world does not serve: a 402 every time."""
        error = "invalid_network" if request.headers.get("payment-signature") else "Payment required"
        pr = {"x402Version": 2, "error": error,
              "resource": {"url": str(request.url), "description": "Weather on Base mainnet only",
                           "mimeType": "application/json"},
              "accepts": mainnet_accepts}
        hdr = base64.b64encode(json.dumps(pr, separators=(",", ":")).encode()).decode()
        return JSONResponse({}, status_code=402, headers={"PAYMENT-REQUIRED": hdr, "Cache-Control": "no-store"})

    return SellerExt(id_log=id_log, siwx_events=siwx_events, offer_ext=offer_ext, paths=dict(PATHS))
