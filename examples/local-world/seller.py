"""The x402 seller of the local world (FastAPI). TEST ONLY.

v2 routes go through the official SDK middleware (PaymentMiddleware, x402ResourceServer and
HTTPFacilitatorClient). The SDK's resource server speaks v2 only, so `/v1/weather` is written
by hand with the SDK's v1 types and the same facilitator. `/multi` and `/redirect-other` are
hand-written v2 (see below why).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from x402.http import FacilitatorConfig, HTTPFacilitatorClient
from x402.http.middleware.fastapi import payment_middleware
from x402.http.types import PaymentOption, RouteConfig
from x402.mechanisms.evm.exact import ExactEvmServerScheme
from x402.schemas import AssetAmount, PaymentPayload, PaymentPayloadV1, PaymentRequirements, PaymentRequirementsV1
from x402.server import x402ResourceServer

log = logging.getLogger("world.seller")

TOKEN_EXTRA = {"name": "USDC", "version": "2"}
DECIMALS = 6
MAX_TIMEOUT = 300

# Base mainnet USDC: a real asset on a network the local facilitator does not serve (and that a
# testnet-only client must not pay on).
BASE_MAINNET = "eip155:8453"
BASE_MAINNET_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"
# An address with no contract on the local chain: an "unknown asset" for a known-asset policy.
UNKNOWN_ASSET = "0x00000000000000000000000000000000DeaDBeef"

PRICES = {
    "v2": "10000",
    "v1": "10000",
    "expensive": "200000000",
    "failAfterPayment": "10000",
    "big": "10000",
    "redirectOther": "10000",
    "drop": "10000",
    # /multi: the option a testnet-only, known-asset, cheapest-first client pays.
    "multi": "20000",
}


@dataclass
class SellerConfig:
    chain_id: int
    network: str
    v1_network: str | None
    token: str
    seller: str
    facilitator_url: str
    other_host_url: str


def b64json(obj: Any) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


def unb64json(value: str) -> Any:
    return json.loads(base64.b64decode(value))


def multi_options(cfg: SellerConfig) -> list[dict]:
    """The /multi offer. Only the last one (0.02 on the local chain, local token) is payable by a
    client that allows testnets only, known assets only, and picks the cheapest:
      [0] 0.05  local token, eip155:<id>            allowed, but dearer
      [1] 0.01  Base mainnet USDC, eip155:8453      mainnet: refused by a testnet-only policy
      [2] 0.015 unknown asset, eip155:<id>          not a known asset
      [3] 0.02  local token, eip155:<id>            ← the one to pay
    """

    def opt(amount: str, network: str, asset: str, extra: dict) -> dict:
        return {"scheme": "exact", "network": network, "amount": amount, "asset": asset,
                "payTo": cfg.seller, "maxTimeoutSeconds": MAX_TIMEOUT, "extra": dict(extra)}

    return [
        opt("50000", cfg.network, cfg.token, TOKEN_EXTRA),
        opt("10000", BASE_MAINNET, BASE_MAINNET_USDC, {"name": "USD Coin", "version": "2"}),
        opt("15000", cfg.network, UNKNOWN_ASSET, {"name": "Mystery Dollar", "version": "1"}),
        opt("20000", cfg.network, cfg.token, TOKEN_EXTRA),
    ]


def build_app(cfg: SellerConfig) -> FastAPI:
    app = FastAPI(title="local x402 seller", docs_url=None, redoc_url=None, openapi_url=None)
    facilitator = HTTPFacilitatorClient(FacilitatorConfig(url=cfg.facilitator_url))
    server = x402ResourceServer(facilitator)
    scheme = ExactEvmServerScheme()

    def local_money(amount: Any, network: str) -> AssetAmount | None:
        """Pitfall 8: the SDK only knows public USDC; map "$x" to the local token."""
        if network != cfg.network:
            return None
        atomic = int(Decimal(str(amount)) * 10**DECIMALS)
        return AssetAmount(amount=str(atomic), asset=cfg.token, extra=dict(TOKEN_EXTRA))

    scheme.register_money_parser(local_money)
    server.register(cfg.network, scheme)

    def option(price: Any) -> PaymentOption:
        return PaymentOption(scheme="exact", pay_to=cfg.seller, price=price, network=cfg.network,
                             max_timeout_seconds=MAX_TIMEOUT)

    routes = {
        "GET /weather": RouteConfig(accepts=option("$0.01"), description="Local weather (x402 v2, $0.01)",
                                    mime_type="application/json"),
        "GET /expensive": RouteConfig(
            accepts=option(AssetAmount(amount=PRICES["expensive"], asset=cfg.token, extra=dict(TOKEN_EXTRA))),
            description="Costs 200 USDC (payers hold 100)", mime_type="application/json"),
        "GET /fail-after-payment": RouteConfig(accepts=option("$0.01"),
                                               description="Verified, then the handler fails (500)",
                                               mime_type="application/json"),
        "GET /big": RouteConfig(accepts=option("$0.01"), description="About 3 MiB of JSON",
                                mime_type="application/json"),
    }
    app.middleware("http")(payment_middleware(routes=routes, server=server))

    # ---- free and v2 (middleware) handlers -------------------------------------------------

    @app.get("/health")
    async def health() -> Any:
        return {"ok": True}

    @app.get("/weather")
    async def weather() -> Any:
        return {"report": {"weather": "sunny", "temperature": 21}, "paid": True}

    @app.get("/expensive")
    async def expensive() -> Any:
        return {"secret": "you should never see this with 100 USDC"}

    @app.get("/fail-after-payment")
    async def fail_after_payment() -> Any:
        return JSONResponse({"error": "handler failed after the payment was verified"}, status_code=500)

    @app.get("/big")
    async def big(mib: float = 3.0) -> Response:
        size = int(max(0.0, min(mib, 64.0)) * 1024 * 1024)
        filler = ("0123456789abcdef" * (size // 16 + 1))[: max(0, size - 64)]
        body = json.dumps({"size": size, "data": filler}, separators=(",", ":")).encode()
        return Response(body, media_type="application/json")

    @app.get("/redirect-plain")
    async def redirect_plain() -> Any:
        return RedirectResponse(cfg.other_host_url + "/collect", status_code=302)

    # ---- hand-written v2 (/multi, /redirect-other) ---------------------------------------------

    def v2_402(request: Request, accepts: list[dict], description: str, error: str = "Payment required",
               extra_headers: dict | None = None) -> Response:
        pr = {"x402Version": 2, "error": error,
              "resource": {"url": str(request.url), "description": description, "mimeType": "application/json"},
              "accepts": accepts}
        headers = {"PAYMENT-REQUIRED": b64json(pr), "Cache-Control": "no-store"}
        headers.update(extra_headers or {})
        return JSONResponse({}, status_code=402, headers=headers)

    def match_v2(payload: dict, accepts: list[dict]) -> dict | None:
        acc = payload.get("accepted") or {}
        for o in accepts:
            if (acc.get("scheme") == o["scheme"] and acc.get("network") == o["network"]
                    and str(acc.get("amount")) == o["amount"]
                    and str(acc.get("asset", "")).lower() == o["asset"].lower()
                    and str(acc.get("payTo", "")).lower() == o["payTo"].lower()):
                return o
        return None

    @app.get("/multi")
    async def multi(request: Request) -> Response:
        """Several options at once. The SDK middleware refuses a route whose options include a
        network the facilitator does not support (eip155:8453 here), so this is done by hand:
        match `accepted`, verify and settle through the same facilitator."""
        accepts = multi_options(cfg)
        desc = "Several options; a testnet-only, known-asset, cheapest client pays 0.02"
        header = request.headers.get("payment-signature")
        if not header:
            return v2_402(request, accepts, desc)
        try:
            raw = unb64json(header)
            payload = PaymentPayload.model_validate(raw)
        except Exception:  # noqa: BLE001
            return v2_402(request, accepts, desc, "invalid_payload")
        chosen = match_v2(raw, accepts)
        if chosen is None:
            return v2_402(request, accepts, desc, "no_matching_requirements")
        if chosen["network"] != cfg.network:
            # The SDK facilitator derives a family wildcard (eip155:*) from the one network it was
            # registered for, so it would "verify" a Base-mainnet payment against the local chain.
            return v2_402(request, accepts, desc, "invalid_network")
        reqs = PaymentRequirements.model_validate(chosen)
        try:
            ver = await facilitator.verify(payload, reqs)
        except Exception as e:  # noqa: BLE001 - e.g. a network the facilitator does not serve
            return v2_402(request, accepts, desc, f"verify_failed: {e}"[:200])
        if not ver.is_valid:
            return v2_402(request, accepts, desc, ver.invalid_reason or "invalid_payment")
        body = {"multi": True, "paid": chosen["amount"], "network": chosen["network"]}
        try:
            st = await facilitator.settle(payload, reqs)
        except Exception as e:  # noqa: BLE001
            return v2_402(request, accepts, desc, f"settle_failed: {e}"[:200])
        resp_header = {"PAYMENT-RESPONSE": b64json(st.model_dump(by_alias=True, exclude_none=True))}
        if not st.success:
            return v2_402(request, accepts, desc, st.error_reason or "settle_failed", resp_header)
        return JSONResponse(body, headers={**resp_header, "Cache-Control": "private, no-store"})

    @app.get("/redirect-other")
    async def redirect_other(request: Request) -> Response:
        """402 first; a paid retry gets a 302 to the other host (nothing verified or settled), so a
        client that follows redirects with the payment header would leak it to 127.0.0.2."""
        accepts = [{"scheme": "exact", "network": cfg.network, "amount": PRICES["redirectOther"],
                    "asset": cfg.token, "payTo": cfg.seller, "maxTimeoutSeconds": MAX_TIMEOUT,
                    "extra": dict(TOKEN_EXTRA)}]
        if not (request.headers.get("payment-signature") or request.headers.get("x-payment")):
            return v2_402(request, accepts, "Pays, then redirects to another host")
        return RedirectResponse(cfg.other_host_url + "/collect", status_code=302)

    # ---- hand-written v1 ---------------------------------------------------------------------

    @app.get("/v1/weather")
    async def v1_weather(request: Request) -> Response:
        if not cfg.v1_network:
            return JSONResponse({"error": f"no v1 network name for chain id {cfg.chain_id}"}, status_code=404)
        req = {"scheme": "exact", "network": cfg.v1_network, "maxAmountRequired": PRICES["v1"],
               "resource": str(request.url), "description": "Local weather (x402 v1, $0.01)",
               "mimeType": "application/json", "payTo": cfg.seller, "maxTimeoutSeconds": MAX_TIMEOUT,
               "asset": cfg.token, "extra": dict(TOKEN_EXTRA)}

        def v1_402(error: str, headers: dict | None = None) -> Response:
            return JSONResponse({"x402Version": 1, "error": error, "accepts": [req]}, status_code=402,
                                headers={"Cache-Control": "no-store", **(headers or {})})

        header = request.headers.get("x-payment")
        if not header:
            return v1_402("X-PAYMENT header is required")
        try:
            payload = PaymentPayloadV1.model_validate(unb64json(header))
        except Exception:  # noqa: BLE001
            return v1_402("invalid_payload")
        if payload.scheme != req["scheme"] or payload.network != req["network"]:
            return v1_402("no_matching_requirements")
        reqs = PaymentRequirementsV1.model_validate(req)
        ver = await facilitator.verify(payload, reqs)
        if not ver.is_valid:
            return v1_402(ver.invalid_reason or "invalid_payment")
        body = {"report": {"weather": "sunny", "temperature": 21}, "paid": True, "x402Version": 1}
        st = await facilitator.settle(payload, reqs)
        settle_json = st.model_dump(by_alias=True, exclude_none=True)
        if not st.success:
            return v1_402(st.error_reason or "settle_failed", {"X-PAYMENT-RESPONSE": b64json(settle_json)})
        return JSONResponse(body, headers={"X-PAYMENT-RESPONSE": b64json(settle_json),
                                           "Cache-Control": "private, no-store"})

    return app
