"""Seller routes for Solana `exact`, Permit2 `exact` and EVM `upto` (added to the world's seller
app by schemes_world.py). TEST ONLY.

Routes the SDK supports go through its middleware (a second PaymentMiddleware with its own
x402ResourceServer); hostile 402s are written by hand and, when paid anyway, are verified and
settled through the same facilitator, so a client sees the facilitator's verdict.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from x402.http import FacilitatorConfig, HTTPFacilitatorClient
from x402.http.middleware.fastapi import payment_middleware, set_settlement_overrides
from x402.http.types import PaymentOption, RouteConfig
from x402.schemas import AssetAmount, PaymentPayload, PaymentRequirements
from x402.server import x402ResourceServer

log = logging.getLogger("world.schemes_seller")

MAX_TIMEOUT = 300
SVM_MAX_TIMEOUT = 60
# Prices in atomic units (6 decimals everywhere).
PRICES = {
    "solWeather": "10000",
    "solWeather2022": "10000",
    "mixedEvm": "20000",       # /mixed: EVM exact (local USDC) is dearer ...
    "mixedSvm": "10000",       # ... than Solana exact (devnet USDC)
    "mixedEvmCheaperEvm": "10000",
    "mixedEvmCheaperSvm": "20000",
    "permit2Weather": "10000",
    "permit2Weather2612": "10000",
    "permit2WeatherApproval": "10000",
    "uptoMax": "50000",
    "uptoSettled": "12300",
    "hostile": "10000",
}
LONG_MEMO = "x402-world-long-memo:" + "m" * 279  # 300 bytes: over the 256-byte limit
# An address that is not the facilitator's signer (the upto witness must name the facilitator).
WRONG_FACILITATOR = "0x00000000000000000000000000000000000Fac1F"


@dataclass
class SchemesSellerConfig:
    facilitator_url: str
    evm_network: str
    evm_seller: str
    usdc: str                      # the world's EIP-3009 token (for /mixed)
    usdc_extra: dict
    svm: dict | None = None        # SolanaService.describe() when --with svm
    permit2: dict | None = None    # Permit2 part of the world description when --with permit2


def b64json(obj: Any) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


def _unknown_mint() -> str:
    import hashlib

    from solders.pubkey import Pubkey

    return str(Pubkey(hashlib.sha256(b"purse-local-world/svm/unknown-mint").digest()))


def endpoints(svm: bool, permit2: bool) -> dict:
    out: dict[str, str] = {}
    if svm:
        out.update({"solWeather": "/sol/weather", "solWeather2022": "/sol/weather-2022", "mixed": "/mixed",
                    "mixedEvmCheaper": "/mixed-evm-cheaper", "solFeePayerIsPayer": "/sol/fee-payer-is-payer",
                    "solUnknownMint": "/sol/unknown-mint", "solLongMemo": "/sol/long-memo"})
    if permit2:
        out.update({"permit2Weather": "/permit2/weather", "permit2Weather2612": "/permit2/weather-2612",
                    "permit2WeatherApproval": "/permit2/weather-approval", "uptoInfer": "/upto/infer",
                    "uptoWrongFacilitator": "/upto/wrong-facilitator"})
    return out


def install(app: FastAPI, cfg: SchemesSellerConfig) -> None:
    """Add the routes (and their middleware) to the world's seller app before it starts."""
    facilitator = HTTPFacilitatorClient(FacilitatorConfig(url=cfg.facilitator_url))
    server = x402ResourceServer(facilitator)
    routes: dict[str, RouteConfig] = {}
    hostile: dict[str, dict] = {}  # path -> {"accepts": [...], "description": str}

    def evm_option(scheme: str, amount: str, asset: str, extra: dict) -> PaymentOption:
        return PaymentOption(scheme=scheme, pay_to=cfg.evm_seller, network=cfg.evm_network,
                             price=AssetAmount(amount=amount, asset=asset, extra=dict(extra)),
                             max_timeout_seconds=MAX_TIMEOUT)

    if cfg.svm or cfg.permit2:
        from x402.mechanisms.evm.exact import ExactEvmServerScheme

        server.register(cfg.evm_network, ExactEvmServerScheme())

    if cfg.svm:
        from x402.mechanisms.svm.exact import ExactSvmServerScheme

        s = cfg.svm
        server.register(s["network"], ExactSvmServerScheme(rpc_url=s["rpcUrl"]))

        def svm_option(amount: str, asset: str) -> PaymentOption:
            return PaymentOption(scheme="exact", pay_to=s["seller"], network=s["network"],
                                 price=AssetAmount(amount=amount, asset=asset, extra={}),
                                 max_timeout_seconds=SVM_MAX_TIMEOUT)

        usdc_evm = lambda amount: evm_option("exact", amount, cfg.usdc, cfg.usdc_extra)  # noqa: E731
        routes["GET /sol/weather"] = RouteConfig(
            accepts=PaymentOption(scheme="exact", pay_to=s["seller"], network=s["network"], price="$0.01",
                                  max_timeout_seconds=SVM_MAX_TIMEOUT),
            description="Solana devnet weather (0.01 USDC, SPL Token)", mime_type="application/json")
        routes["GET /sol/weather-2022"] = RouteConfig(
            accepts=svm_option(PRICES["solWeather2022"], s["token2022Mint"]),
            description="Solana devnet weather paid in a Token-2022 mint", mime_type="application/json")
        routes["GET /mixed"] = RouteConfig(
            accepts=[usdc_evm(PRICES["mixedEvm"]), svm_option(PRICES["mixedSvm"], s["usdcMint"])],
            description="EVM exact 0.02 or Solana exact 0.01", mime_type="application/json")
        routes["GET /mixed-evm-cheaper"] = RouteConfig(
            accepts=[usdc_evm(PRICES["mixedEvmCheaperEvm"]), svm_option(PRICES["mixedEvmCheaperSvm"], s["usdcMint"])],
            description="EVM exact 0.01 or Solana exact 0.02", mime_type="application/json")

        def svm_req(asset: str, extra: dict) -> dict:
            return {"scheme": "exact", "network": s["network"], "amount": PRICES["hostile"], "asset": asset,
                    "payTo": s["seller"], "maxTimeoutSeconds": SVM_MAX_TIMEOUT, "extra": extra}

        hostile["/sol/fee-payer-is-payer"] = {
            "accepts": [svm_req(s["usdcMint"], {"feePayer": s["payers"][0]["address"]})],
            "description": "extra.feePayer is svm payer 0's own pubkey: the payer would pay the fees and sign a "
                           "complete transaction anyone can submit"}
        hostile["/sol/unknown-mint"] = {
            "accepts": [svm_req(_unknown_mint(), {"feePayer": s["feePayer"]})],
            "description": "asset is a mint that does not exist on this chain"}
        hostile["/sol/long-memo"] = {
            "accepts": [svm_req(s["usdcMint"], {"feePayer": s["feePayer"], "memo": LONG_MEMO})],
            "description": "extra.memo is 300 bytes (the spec allows at most 256)"}

    if cfg.permit2:
        from x402.extensions.eip2612_gas_sponsoring import declare_eip2612_gas_sponsoring_extension
        from x402.extensions.erc20_approval_gas_sponsoring import declare_erc20_approval_gas_sponsoring_extension
        from x402.mechanisms.evm.upto import UptoEvmServerScheme

        server.register(cfg.evm_network, UptoEvmServerScheme())
        p = cfg.permit2
        pusd, plain = p["permitToken"], p["plainToken"]
        pusd_extra = {"name": p["permitTokenName"], "version": p["permitTokenVersion"]}
        routes["GET /permit2/weather"] = RouteConfig(
            accepts=evm_option("exact", PRICES["permit2Weather"], plain, {"assetTransferMethod": "permit2"}),
            description="Permit2 exact, Plain USD (needs an allowance to Permit2)", mime_type="application/json")
        routes["GET /permit2/weather-2612"] = RouteConfig(
            accepts=evm_option("exact", PRICES["permit2Weather2612"], pusd, {**pusd_extra, "assetTransferMethod": "permit2"}),
            description="Permit2 exact, Permit USD; offers eip2612GasSponsoring", mime_type="application/json",
            extensions=declare_eip2612_gas_sponsoring_extension())
        routes["GET /permit2/weather-approval"] = RouteConfig(
            accepts=evm_option("exact", PRICES["permit2WeatherApproval"], plain, {"assetTransferMethod": "permit2"}),
            description="Permit2 exact, Plain USD; offers erc20ApprovalGasSponsoring only",
            mime_type="application/json", extensions=declare_erc20_approval_gas_sponsoring_extension())
        routes["GET /upto/infer"] = RouteConfig(
            accepts=evm_option("upto", PRICES["uptoMax"], pusd, pusd_extra),
            description="upto: signs for at most 0.05, the handler settles 0.0123", mime_type="application/json")
        hostile["/upto/wrong-facilitator"] = {
            "accepts": [{"scheme": "upto", "network": cfg.evm_network, "amount": PRICES["uptoMax"], "asset": pusd,
                         "payTo": cfg.evm_seller, "maxTimeoutSeconds": MAX_TIMEOUT,
                         "extra": {**pusd_extra, "assetTransferMethod": "permit2",
                                   "facilitatorAddress": WRONG_FACILITATOR}}],
            "description": "upto whose extra.facilitatorAddress is not the facilitator's signer"}

    if not routes and not hostile:
        return
    app.middleware("http")(payment_middleware(routes=routes, server=server))

    def paid(name: str, request: Request) -> dict:
        return {"report": {"weather": "sunny", "temperature": 21}, "paid": True, "route": name}

    for key in routes:
        path = key.split(" ", 1)[1]
        if path == "/upto/infer":
            continue

        async def handler(request: Request, _path: str = path) -> Any:
            return paid(_path, request)

        app.add_api_route(path, handler, methods=["GET"])

    if cfg.permit2:
        @app.get("/upto/infer")
        async def upto_infer(request: Request) -> Response:
            resp = JSONResponse({"completion": "42", "tokens": 123, "charged": PRICES["uptoSettled"], "paid": True})
            set_settlement_overrides(resp, {"amount": PRICES["uptoSettled"]})
            return resp

    def hostile_402(request: Request, spec: dict, error: str = "Payment required",
                    extra_headers: dict | None = None) -> Response:
        pr = {"x402Version": 2, "error": error,
              "resource": {"url": str(request.url), "description": spec["description"], "mimeType": "application/json"},
              "accepts": spec["accepts"]}
        return JSONResponse({}, status_code=402, headers={"PAYMENT-REQUIRED": b64json(pr), "Cache-Control": "no-store",
                                                          **(extra_headers or {})})

    for path, spec in hostile.items():
        async def hostile_handler(request: Request, _spec: dict = spec, _path: str = path) -> Response:
            header = request.headers.get("payment-signature")
            if not header:
                return hostile_402(request, _spec)
            try:
                raw = json.loads(base64.b64decode(header))
                payload = PaymentPayload.model_validate(raw)
                reqs = PaymentRequirements.model_validate(_spec["accepts"][0])
            except Exception:  # noqa: BLE001
                return hostile_402(request, _spec, "invalid_payload")
            try:
                ver = await facilitator.verify(payload, reqs)
            except Exception as e:  # noqa: BLE001
                return hostile_402(request, _spec, f"verify_failed: {e}"[:200])
            if not ver.is_valid:
                return hostile_402(request, _spec, ver.invalid_reason or "invalid_payment")
            st = await facilitator.settle(payload, reqs)
            settle_json = st.model_dump(by_alias=True, exclude_none=True)
            if not st.success:
                return hostile_402(request, _spec, st.error_reason or "settle_failed",
                                   {"PAYMENT-RESPONSE": b64json(settle_json)})
            return JSONResponse(paid(_path, request), headers={"PAYMENT-RESPONSE": b64json(settle_json)})

        app.add_api_route(path, hostile_handler, methods=["GET"])
