"""x402 facilitator (official SDK, exact EVM scheme, v2 and v1) over the local chain. TEST ONLY.

Registers only eip155:<chain id> for v2 and the one v1 name whose fixed chain id matches
(docs/test-world.md, pitfall 9): the SDK's helper would also claim ~20 public v1 networks.
"""

from __future__ import annotations

import logging
import threading
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


# ---- settlement_pending facilitators (mounted under path prefixes of the same app) -----------


class PendingReceiptSigner:
    """Wraps the real facilitator signer. The transaction IS broadcast and mined (the chain moves);
    only the facilitator's confirmation wait is made to fail, the way a slow RPC or a receipt
    timeout would, so the SDK mechanism answers `settlement_pending` with the broadcast hash.

    mode "once":  the first wait for each transaction fails; later waits return the real receipt.
    mode "stuck": every wait fails.
    Everything else (nonces, sending, reads) is delegated, so it shares the real signer's nonce lock.
    """

    def __init__(self, inner: FacilitatorWeb3Signer, mode: str):
        if mode not in ("once", "stuck"):
            raise ValueError(mode)
        self._inner = inner
        self._mode = mode
        self._failed: set[str] = set()
        self._lock = threading.Lock()
        self.waits: list[dict] = []  # log: {"tx", "failed"}

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def wait_for_transaction_receipt(self, tx_hash: str):
        receipt = self._inner.wait_for_transaction_receipt(tx_hash)  # really mined
        key = tx_hash.lower()
        with self._lock:
            fail = self._mode == "stuck" or key not in self._failed
            self._failed.add(key)
            self.waits.append({"tx": tx_hash, "failed": fail})
        if fail:
            raise TimeoutError(f"simulated: no receipt for {tx_hash} within the confirmation window")
        return receipt


def mount_pending_facilitators(app: FastAPI, signer: FacilitatorWeb3Signer, chain_id: int) -> dict[str, str]:
    """Adds `/pending-once/*` and `/pending-stuck/*` (supported, verify, settle, log) to the
    facilitator app: full SDK facilitators (v2, exact, eip155:<id>) whose settle broadcasts and
    mines for real but whose receipt wait fails (see PendingReceiptSigner). Returns {mode: prefix}."""
    from starlette.concurrency import run_in_threadpool

    prefixes = {}
    for mode in ("once", "stuck"):
        wrapped = PendingReceiptSigner(signer, mode)
        fac = x402FacilitatorSync()
        fac.register([f"eip155:{chain_id}"], ExactEvmScheme(wrapped, ExactEvmSchemeConfig()))
        prefix = f"/pending-{mode}"
        calls: list[dict] = []

        def routes(fac=fac, wrapped=wrapped, prefix=prefix, calls=calls):
            @app.get(prefix + "/supported")
            def p_supported() -> Any:
                return fac.get_supported().model_dump(by_alias=True, exclude_none=True)

            @app.post(prefix + "/verify")
            async def p_verify(request: Request) -> Any:
                body = await request.json()
                payload = parse_payment_payload(body["paymentPayload"])
                reqs = parse_payment_requirements(2, body["paymentRequirements"])
                res = await run_in_threadpool(fac.verify, payload, reqs)
                return res.model_dump(by_alias=True, exclude_none=True)

            @app.post(prefix + "/settle")
            async def p_settle(request: Request) -> Any:
                body = await request.json()
                payload = parse_payment_payload(body["paymentPayload"])
                reqs = parse_payment_requirements(2, body["paymentRequirements"])
                res = await run_in_threadpool(fac.settle, payload, reqs)
                out = res.model_dump(by_alias=True, exclude_none=True)
                calls.append(out)
                return out

            @app.get(prefix + "/log")
            def p_log() -> Any:
                return {"settleAnswers": list(calls), "receiptWaits": list(wrapped.waits)}

        routes()
        prefixes[mode] = prefix
    return prefixes
