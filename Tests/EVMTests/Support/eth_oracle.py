#!/usr/bin/env python3
"""Independent eth-account oracle for Purse's EVM tests.

Usage: eth_oracle.py <command>, with one JSON object on stdin; prints one JSON object on stdout.

Commands:
  version   {}                                   -> {"eth_account": "<version>"}
  recover   {"domain": {...}, "message": {...},   -> {"address": "0x..", "digest": "0x..",
             "signature": "0x..", "key": "0x.."}     "signature": "0x.." (eth-account's own, when key given)}
  typed     {"typed": <eth-account full_message,   -> {"address": "0x..", "digest": "0x..", "signature": "0x.."}
             uint256 as decimal strings>,
             "signature": "0x..", "key": "0x.."}
  encrypt   {"key": "0x..", "password": "..",     -> {"keystore": {...}}
             "kdf": "scrypt"|"pbkdf2", "iterations": N}
  decrypt   {"keystore": {...}, "password": ".."} -> {"address": "0x.."}

All uint256 message values are decimal strings; nonce and addresses are 0x-hex.
"""
import json
import sys
from importlib.metadata import version

from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_typed_data

TYPES = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


def recover(req):
    d, m = req["domain"], req["message"]
    full = {
        "types": TYPES,
        "primaryType": "TransferWithAuthorization",
        "domain": {
            "name": d["name"],
            "version": d["version"],
            "chainId": int(d["chainId"]),
            "verifyingContract": d["verifyingContract"],
        },
        "message": {
            "from": m["from"],
            "to": m["to"],
            "value": int(m["value"]),
            "validAfter": int(m["validAfter"]),
            "validBefore": int(m["validBefore"]),
            "nonce": bytes.fromhex(m["nonce"][2:]),
        },
    }
    signable = encode_typed_data(full_message=full)
    out = {
        "address": Account.recover_message(signable, signature=req["signature"]),
        "digest": "0x" + _hash_eip191_message(signable).hex(),
    }
    if req.get("key"):
        out["signature"] = "0x" + Account.sign_message(signable, private_key=req["key"]).signature.hex()
    return out


def _ints(value, types, type_name):
    """Turns the decimal-string uint256 fields of a message into ints, following its types."""
    out = {}
    for field in types[type_name]:
        v = value[field["name"]]
        if field["type"] in types:
            out[field["name"]] = _ints(v, types, field["type"])
        elif field["type"].startswith("uint"):
            out[field["name"]] = int(v)
        else:
            out[field["name"]] = v
    return out


def typed(req):
    full = dict(req["typed"])
    types = full["types"]
    full["message"] = _ints(full["message"], types, full["primaryType"])
    full["domain"] = {k: (int(v) if k == "chainId" else v) for k, v in full["domain"].items()}
    signable = encode_typed_data(full_message=full)
    out = {
        "address": Account.recover_message(signable, signature=req["signature"]),
        "digest": "0x" + _hash_eip191_message(signable).hex(),
    }
    if req.get("key"):
        out["signature"] = "0x" + Account.sign_message(signable, private_key=req["key"]).signature.hex()
    return out


def encrypt(req):
    ks = Account.encrypt(req["key"], req["password"], kdf=req["kdf"], iterations=int(req["iterations"]))
    return {"keystore": ks}


def decrypt(req):
    key = Account.decrypt(req["keystore"], req["password"])
    return {"address": Account.from_key(key).address}


def main():
    command = sys.argv[1]
    req = json.load(sys.stdin)
    if command == "version":
        out = {"eth_account": version("eth-account")}
    elif command == "recover":
        out = recover(req)
    elif command == "typed":
        out = typed(req)
    elif command == "encrypt":
        out = encrypt(req)
    elif command == "decrypt":
        out = decrypt(req)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
