"""The x402 `offer-receipt` extension (signed offers and receipts, EIP-712 format). TEST ONLY.

The Python SDK 2.25 has no support for it, so this follows the spec directly:
x402-foundation/x402 `specs/extensions/extension-offer-and-receipt.md` (v0.6).

- Domain (§3.2): {name: "x402 offer" | "x402 receipt", version: "1", chainId: 1}, no
  verifyingContract. Domain type EIP712Domain(string name,string version,uint256 chainId).
- Offer (§4.3), primaryType "Offer", fields in this order:
  version uint256, resourceUrl string, scheme string, network string, asset string,
  payTo string, amount string, validUntil uint256 (0 = absent).
- Receipt (§5.3), primaryType "Receipt", fields in this order:
  version uint256, network string, resourceUrl string, payer string, issuedAt uint256,
  transaction string ("" = absent).
- Wire object (§3.1): {"format": "eip712", "payload": {...}, "signature": "0x" + r‖s‖v (65 bytes)}
  plus, for offers only, the unsigned convenience field "acceptIndex".
- Placement: offers at PaymentRequired.extensions["offer-receipt"].info.offers[] (§4.1); the
  receipt at SettleResponse.extensions["offer-receipt"].info.receipt (§5.1), i.e. inside the
  decoded PAYMENT-RESPONSE header.

`OfferReceiptExtension` plugs this into the SDK's resource server as a ResourceServerExtension:
offers are built per 402 from the real `accepts[]` (enrich_payment_required_response) and the
receipt is added to a successful settlement (enrich_settlement_response). A route picks a
behaviour with its declaration's private "_world" key (never sent: the enriched value replaces it).
"""

from __future__ import annotations

import time
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

OFFER_RECEIPT = "offer-receipt"

DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
]
OFFER_TYPE = [
    {"name": "version", "type": "uint256"},
    {"name": "resourceUrl", "type": "string"},
    {"name": "scheme", "type": "string"},
    {"name": "network", "type": "string"},
    {"name": "asset", "type": "string"},
    {"name": "payTo", "type": "string"},
    {"name": "amount", "type": "string"},
    {"name": "validUntil", "type": "uint256"},
]
RECEIPT_TYPE = [
    {"name": "version", "type": "uint256"},
    {"name": "network", "type": "string"},
    {"name": "resourceUrl", "type": "string"},
    {"name": "payer", "type": "string"},
    {"name": "issuedAt", "type": "uint256"},
    {"name": "transaction", "type": "string"},
]
OFFER_DOMAIN = {"name": "x402 offer", "version": "1", "chainId": 1}
RECEIPT_DOMAIN = {"name": "x402 receipt", "version": "1", "chainId": 1}

# Behaviours a route can ask for (declaration["_world"]["mode"]).
MODES = ("valid", "tampered-payto", "tampered-amount", "expired", "bad-signature", "receipt-bad-key",
         "receipt-wrong-tx")


def _typed(domain: dict, primary: str, fields: list[dict], message: dict) -> dict:
    return {"types": {"EIP712Domain": DOMAIN_TYPE, primary: fields}, "primaryType": primary,
            "domain": domain, "message": message}


def _sign(key: str, full: dict) -> str:
    sig = Account.sign_message(encode_typed_data(full_message=full), key).signature
    return "0x" + bytes(sig).hex()


def _recover(full: dict, signature: str) -> str:
    return Account.recover_message(encode_typed_data(full_message=full), signature=signature)


def _offer_message(payload: dict) -> dict:
    m = {f["name"]: payload.get(f["name"]) for f in OFFER_TYPE}
    m["validUntil"] = int(payload.get("validUntil") or 0)
    return m


def _receipt_message(payload: dict) -> dict:
    m = {f["name"]: payload.get(f["name"]) for f in RECEIPT_TYPE}
    m["transaction"] = payload.get("transaction") or ""
    return m


def sign_offer(key: str, payload: dict, accept_index: int | None = None) -> dict:
    """A signed offer object for `payload` (keys as in §4.2)."""
    out: dict[str, Any] = {"format": "eip712"}
    if accept_index is not None:
        out["acceptIndex"] = accept_index
    out["payload"] = payload
    out["signature"] = _sign(key, _typed(OFFER_DOMAIN, "Offer", OFFER_TYPE, _offer_message(payload)))
    return out


def sign_receipt(key: str, payload: dict) -> dict:
    return {"format": "eip712", "payload": payload,
            "signature": _sign(key, _typed(RECEIPT_DOMAIN, "Receipt", RECEIPT_TYPE, _receipt_message(payload)))}


def recover_offer_signer(offer: dict) -> str:
    return _recover(_typed(OFFER_DOMAIN, "Offer", OFFER_TYPE, _offer_message(offer["payload"])), offer["signature"])


def recover_receipt_signer(receipt: dict) -> str:
    return _recover(_typed(RECEIPT_DOMAIN, "Receipt", RECEIPT_TYPE, _receipt_message(receipt["payload"])),
                    receipt["signature"])


def declare(mode: str = "valid") -> dict:
    """Route declaration: {"offer-receipt": {...}}. The private "_world" key selects the behaviour."""
    if mode not in MODES:
        raise ValueError(mode)
    return {OFFER_RECEIPT: {"info": {"offers": []}, "_world": {"mode": mode}}}


OFFERS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"offers": {"type": "array", "items": {"type": "object", "properties": {
        "format": {"type": "string", "const": "eip712"},
        "acceptIndex": {"type": "integer"},
        "payload": {"type": "object"},
        "signature": {"type": "string"}},
        "required": ["format", "payload", "signature"]}}},
    "required": ["offers"],
}
RECEIPT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"receipt": {"type": "object", "properties": {
        "format": {"type": "string", "const": "eip712"},
        "payload": {"type": "object"},
        "signature": {"type": "string"}},
        "required": ["format", "payload", "signature"]}},
    "required": ["receipt"],
}


class OfferReceiptExtension:
    """SDK ResourceServerExtension for "offer-receipt".

    signer_key signs good offers and receipts; wrong_key signs the deliberately bad ones.
    other_pay_to is the payTo a tampered offer names. valid_until is fixed for the world's life so
    an offer is byte-identical between the 402 and the paid retry (the SDK compares the client's
    echo with a freshly built 402, and eth-account's ECDSA is deterministic).
    """

    key = OFFER_RECEIPT

    def __init__(self, signer_key: str, wrong_key: str, other_pay_to: str, valid_until: int,
                 expired_at: int):
        self.signer_key = signer_key
        self.wrong_key = wrong_key
        self.other_pay_to = other_pay_to
        self.valid_until = valid_until
        self.expired_at = expired_at
        self.signer_address = Account.from_key(signer_key).address
        self.wrong_address = Account.from_key(wrong_key).address

    @staticmethod
    def _mode(declaration: Any) -> str:
        if isinstance(declaration, dict):
            return str((declaration.get("_world") or {}).get("mode") or "valid")
        return "valid"

    def enrich_declaration(self, declaration: Any, transport_context: Any) -> Any:
        return declaration

    def enrich_payment_required_response(self, declaration: Any, context: Any) -> dict | None:
        mode = self._mode(declaration)
        resource_url = context.resource_info.url if context.resource_info else ""
        offers = []
        for i, req in enumerate(context.requirements):
            payload = {
                "version": 1,
                "resourceUrl": resource_url,
                "scheme": req.scheme,
                "network": str(req.network),
                "asset": req.asset,
                "payTo": req.pay_to,
                "amount": str(req.amount),
                "validUntil": self.expired_at if mode == "expired" else self.valid_until,
            }
            if mode == "tampered-payto":
                payload["payTo"] = self.other_pay_to
            elif mode == "tampered-amount":
                payload["amount"] = str(int(req.amount) // 2)
            key = self.wrong_key if mode == "bad-signature" else self.signer_key
            offers.append(sign_offer(key, payload, i))
        return {"info": {"offers": offers}, "schema": OFFERS_SCHEMA}

    def enrich_settlement_response(self, declaration: Any, context: Any) -> dict | None:
        mode = self._mode(declaration)
        result = context.result
        if not result.success:
            return None
        resource = getattr(context.payment_payload, "resource", None)
        tx = result.transaction or ""
        if mode == "receipt-wrong-tx":
            # A well-formed hash of a transaction that does not exist on the local chain.
            tx = "0x" + "ab" * 32
        payload = {
            "version": 1,
            "network": str(result.network),
            "resourceUrl": resource.url if resource else "",
            "payer": result.payer or "",
            "issuedAt": int(time.time()),
            "transaction": tx,
        }
        key = self.wrong_key if mode == "receipt-bad-key" else self.signer_key
        return {"info": {"receipt": sign_receipt(key, payload)}, "schema": RECEIPT_SCHEMA}
