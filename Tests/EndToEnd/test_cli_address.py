"""`purse address` on the well-known Hardhat key #0, and its typed errors on bad keys."""

from __future__ import annotations

import os
import subprocess
import sys

HARDHAT0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


def run(purse_bin, key: str, tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PURSE_PRIVATE_KEY": key,
           "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    return subprocess.run([str(purse_bin), "address"], env=env, capture_output=True, text=True, timeout=30)


def test_address_of_hardhat_key_zero(purse_bin, tmp_path):
    r = run(purse_bin, HARDHAT0, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n"


def test_bad_keys_are_typed_errors_that_do_not_echo_the_key(purse_bin, tmp_path):
    cases = {
        HARDHAT0[:-2]: "key.bad_length",
        "0x" + "zz" * 32: "key.not_hex",
        HARDHAT0[2:]: "key.missing_prefix",
        "0x" + "00" * 32: "key.zero",
        "0x" + "ff" * 32: "key.out_of_range",
    }
    for key, code in cases.items():
        r = run(purse_bin, key, tmp_path)
        assert r.returncode == 1, (key, r.stdout, r.stderr)
        assert f"[{code}]" in r.stderr, (code, r.stderr)
        assert key.lower().removeprefix("0x") not in (r.stdout + r.stderr).lower()
        print(f"{code}: {r.stderr.strip()}", file=sys.stderr)
