"""Optional world features, switched on with `world.py --with svm,permit2` (TEST ONLY):

- `svm`: a Solana devnet on LiteSVM behind a JSON-RPC shim (svm_world.py), the SDK's exact SVM
  facilitator scheme, and the Solana seller routes (schemes_seller.py);
- `permit2`: Permit2 + the x402 exact/upto proxies at their canonical addresses, two ERC-20s
  and their payers (permit2_world.py), the SDK's upto facilitator scheme and Permit2 approval
  extensions, and the Permit2/upto seller routes.

world.py calls the hooks below in order; each is a no-op for a feature that is off. Keys this
adds to world.json: "features", "svm", "permit2" and "schemeEndpoints" (see README.md).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("world.schemes")

FEATURES = ("svm", "permit2")


def parse_features(spec: str) -> list[str]:
    names = [s.strip() for s in (spec or "").split(",") if s.strip()]
    if names == ["all"]:
        return list(FEATURES)
    bad = [n for n in names if n not in FEATURES]
    if bad:
        raise ValueError(f"unknown --with feature(s) {bad}; known: {', '.join(FEATURES)} (or all)")
    return [f for f in FEATURES if f in names]


class SchemesWorld:
    def __init__(self, spec: str):
        self.features = parse_features(spec)
        self.rpc: dict[str, Any] = {}  # extra JSON-RPC methods for the EVM chain's RPC
        self.svm = None
        self.permit2_setup = None
        self.key_dir: Path | None = None
        self.chain = None
        self.timings: dict[str, float] = {}
        self._compile = None
        if "permit2" in self.features:
            import permit2_world

            permit2_world.check_sdk_constants()
            self._compile = permit2_world.CompileJob()  # runs while the rest of the world starts

    def __contains__(self, feature: str) -> bool:
        return feature in self.features

    # --- hooks, in world.py's order -------------------------------------------------------------

    def setup_chain(self, chain) -> None:
        """After the EVM chain and its USDC exist: Permit2 contracts and tokens; the Solana shim."""
        self.chain = chain
        if "permit2" in self:
            import permit2_world

            t = time.monotonic()
            compiled = self._compile.result()
            self.timings["permit2Compile(wait)"] = time.monotonic() - t
            t = time.monotonic()
            self.permit2_setup = permit2_world.install(chain, compiled)
            self.rpc.update(permit2_world.rpc_methods(chain, self.permit2_setup))
            self.timings["permit2Install"] = time.monotonic() - t
        if "svm" in self:
            import svm_world

            t = time.monotonic()
            self.key_dir = Path(tempfile.mkdtemp(prefix="purse-world-keys-"))
            self.svm = svm_world.SolanaService(self.key_dir)
            self.timings["svm"] = time.monotonic() - t

    def register_facilitator(self, fac, evm_signer, network: str) -> None:
        if "permit2" in self:
            import permit2_world

            permit2_world.register_facilitator(fac, evm_signer, self.chain, network, self.permit2_setup.deployer)
        if "svm" in self:
            from x402.mechanisms.svm import FacilitatorKeypairSigner
            from x402.mechanisms.svm.exact import ExactSvmFacilitatorScheme

            import svm_world

            signer = FacilitatorKeypairSigner(self.svm.world.fee_payer, rpc_url=self.svm.url)
            fac.register([svm_world.DEVNET], ExactSvmFacilitatorScheme(signer))

    def install_seller(self, app, *, facilitator_url: str, evm_network: str, evm_seller: str, usdc: str,
                       usdc_extra: dict) -> None:
        if not self.features:
            return
        import schemes_seller

        cfg = schemes_seller.SchemesSellerConfig(
            facilitator_url=facilitator_url, evm_network=evm_network, evm_seller=evm_seller, usdc=usdc,
            usdc_extra=usdc_extra, svm=self.svm.describe() if self.svm else None,
            permit2=self._permit2_json() if self.permit2_setup else None)
        schemes_seller.install(app, cfg)

    def warm_up(self, client, seller_url: str) -> None:
        """The first protected request initializes the SDK middleware (facilitator /supported)."""
        import schemes_seller

        for path in schemes_seller.endpoints("svm" in self, "permit2" in self).values():
            client.get(seller_url + path)

    def describe(self) -> dict:
        import schemes_seller

        out: dict[str, Any] = {"features": list(self.features)}
        if not self.features:
            return out
        out["schemeEndpoints"] = schemes_seller.endpoints("svm" in self, "permit2" in self)
        out["schemePrices"] = dict(schemes_seller.PRICES)
        if self.svm:
            out["svm"] = {**self.svm.describe(),
                          "hostile": {"feePayerIsPayer": "payer 0 (svm.payers[0]) is the 402's extra.feePayer",
                                      "unknownMint": schemes_seller._unknown_mint(),
                                      "longMemoBytes": len(schemes_seller.LONG_MEMO.encode())}}
        if self.permit2_setup:
            out["permit2"] = {**self._permit2_json(), "wrongFacilitator": schemes_seller.WRONG_FACILITATOR}
        out["schemesStartupBreakdown"] = {k: round(v, 3) for k, v in self.timings.items()}
        return out

    def _permit2_json(self) -> dict:
        import permit2_world as p2

        s = self.permit2_setup
        return {
            "permit2": p2.PERMIT2, "exactProxy": p2.EXACT_PROXY, "uptoProxy": p2.UPTO_PROXY,
            "permitToken": s.permit_token, "permitTokenName": p2.PERMIT_TOKEN["name"],
            "permitTokenVersion": p2.PERMIT_TOKEN["version"], "permitTokenSymbol": p2.PERMIT_TOKEN["symbol"],
            "plainToken": s.plain_token, "plainTokenName": p2.PLAIN_TOKEN["name"],
            "plainTokenSymbol": p2.PLAIN_TOKEN["symbol"], "decimals": p2.DECIMALS,
            "tokenDeployer": s.deployer,
            "approvedPayer": s.approved_payer, "unapprovedPayer": s.unapproved_payer,
            "payerFunds": str(p2.PAYER_FUNDS),
        }

    def stop(self) -> None:
        if self._compile is not None:
            self._compile.cancel()
        if self.svm is not None:
            self.svm.stop()
        if self.key_dir is not None:
            shutil.rmtree(self.key_dir, ignore_errors=True)
