#!/usr/bin/env python3
"""Prints the Permit2 and EIP-2612 test vectors pinned in Permit2TypedDataTests.swift.

They are computed here with eth-account (encode_typed_data, sign_message), an implementation
Purse shares no code with, from the message types the x402 SDK signs
(x402/mechanisms/evm/constants.py: PERMIT2_WITNESS_TYPES, UPTO_PERMIT2_WITNESS_TYPES,
EIP2612_PERMIT_TYPES). Run: .venv/bin/python Tests/EVMTests/Support/permit2_vectors.py
"""
import json

from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data

KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # Anvil/Hardhat dev key #0
PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3"
EXACT_PROXY = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001"
UPTO_PROXY = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002"
TOKEN = "0x04A71E3fb9921888997Aa8BD93c9F6C31D2af578"
PAY_TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
FACILITATOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
NONCE = 0xF3746613C2D920B5FDABC0856F2AEB2D4F88EE6037B8CC5D04A71A4462F13480

PERMITTED = [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint256"}]
PRIMARY = [
    {"name": "permitted", "type": "TokenPermissions"},
    {"name": "spender", "type": "address"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
    {"name": "witness", "type": "Witness"},
]
DOMAIN_TYPES = [
    {"name": "name", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def sign(full):
    signable = encode_typed_data(full_message=full)
    return {
        "digest": "0x" + _hash_eip191_message(signable).hex(),
        "signature": "0x" + Account.sign_message(signable, private_key=KEY).signature.hex(),
    }


def permit2(witness_fields, witness, spender, amount, chain_id=84532, deadline=1900000000):
    return sign({
        "types": {"EIP712Domain": DOMAIN_TYPES, "PermitWitnessTransferFrom": PRIMARY, "TokenPermissions": PERMITTED,
                  "Witness": witness_fields},
        "primaryType": "PermitWitnessTransferFrom",
        "domain": {"name": "Permit2", "chainId": chain_id, "verifyingContract": PERMIT2},
        "message": {"permitted": {"token": TOKEN, "amount": amount}, "spender": spender, "nonce": NONCE,
                    "deadline": deadline, "witness": witness},
    })


def eip2612(value, nonce, deadline=1900000000, chain_id=84532):
    return sign({
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                       {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                       {"name": "deadline", "type": "uint256"}],
        },
        "primaryType": "Permit",
        "domain": {"name": "Permit USD", "version": "1", "chainId": chain_id, "verifyingContract": TOKEN},
        "message": {"owner": Account.from_key(KEY).address, "spender": PERMIT2, "value": value, "nonce": nonce,
                    "deadline": deadline},
    })


print(json.dumps({
    "exact": permit2([{"name": "to", "type": "address"}, {"name": "validAfter", "type": "uint256"}],
                     {"to": PAY_TO, "validAfter": 1740672089}, EXACT_PROXY, 10000),
    "upto": permit2([{"name": "to", "type": "address"}, {"name": "facilitator", "type": "address"},
                     {"name": "validAfter", "type": "uint256"}],
                    {"to": PAY_TO, "facilitator": FACILITATOR, "validAfter": 1740672089}, UPTO_PROXY, 50000),
    "eip2612": eip2612(10000, 3),
}, indent=2))
