"""x402 facilitator (official SDK, exact EVM scheme, v2 and v1) over the local chain. TEST ONLY.

Registers only eip155:<chain id> for v2 and the one v1 name whose fixed chain id matches
(docs/test-world.md, pitfall 9): the SDK's helper would also claim ~20 public v1 networks.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from x402 import x402FacilitatorSync
from x402.mechanisms.evm import FacilitatorWeb3Signer
from x402.mechanisms.evm.exact.facilitator import ExactEvmScheme, ExactEvmSchemeConfig
from x402.mechanisms.evm.exact.v1.facilitator import ExactEvmSchemeV1, ExactEvmSchemeV1Config
from x402.mechanisms.evm.v1.constants import V1_NETWORKS
from x402.schemas import parse_payment_payload, parse_payment_requirements

log = logging.getLogger("world.facilitator")


def v1_name_for_chain(chain_id: int) -> str | None:
    """The legacy v1 network name with this fixed chain id, if any (base-sepolia → 84532)."""
    from x402.mechanisms.evm.v1.constants import V1_NETWORK_CHAIN_IDS

    for name in V1_NETWORKS:
        if V1_NETWORK_CHAIN_IDS.get(name) == chain_id:
            return name
    return None


def build_facilitator(private_key: str, rpc_url: str, chain_id: int) -> tuple[x402FacilitatorSync, FacilitatorWeb3Signer, str | None]:
    signer = FacilitatorWeb3Signer(private_key=private_key, rpc_url=rpc_url, confirmation_timeout_seconds=20)
    fac = x402FacilitatorSync()
    fac.register([f"eip155:{chain_id}"], ExactEvmScheme(signer, ExactEvmSchemeConfig()))
    v1_name = v1_name_for_chain(chain_id)
    if v1_name:
        fac.register_v1([v1_name], ExactEvmSchemeV1(signer, ExactEvmSchemeV1Config()))
    return fac, signer, v1_name


def build_app(fac: x402FacilitatorSync) -> FastAPI:
    app = FastAPI(title="local x402 facilitator", docs_url=None, redoc_url=None, openapi_url=None)

    def _parse(body: dict[str, Any]):
        payload = parse_payment_payload(body["paymentPayload"])
        version = int(body.get("x402Version") or payload.x402_version)
        reqs = parse_payment_requirements(version, body["paymentRequirements"])
        return payload, reqs

    # Sync handlers: FastAPI runs them in its thread pool, and the SDK's web3 signer blocks.
    @app.get("/supported")
    def supported() -> Any:
        return fac.get_supported().model_dump(by_alias=True, exclude_none=True)

    @app.get("/health")
    def health() -> Any:
        return {"ok": True}

    @app.post("/verify")
    async def verify(request: Request) -> Any:
        body = await request.json()
        try:
            payload, reqs = _parse(body)
        except Exception as e:  # noqa: BLE001 - malformed input is the caller's problem
            return JSONResponse({"isValid": False, "invalidReason": "invalid_payload", "invalidMessage": str(e)}, 400)
        from starlette.concurrency import run_in_threadpool

        res = await run_in_threadpool(fac.verify, payload, reqs)
        return res.model_dump(by_alias=True, exclude_none=True)

    @app.post("/settle")
    async def settle(request: Request) -> Any:
        body = await request.json()
        try:
            payload, reqs = _parse(body)
        except Exception as e:  # noqa: BLE001
            return JSONResponse({"success": False, "errorReason": "invalid_payload", "errorMessage": str(e),
                                 "transaction": "", "network": ""}, 400)
        from starlette.concurrency import run_in_threadpool

        res = await run_in_threadpool(fac.settle, payload, reqs)
        return res.model_dump(by_alias=True, exclude_none=True)

    return app
