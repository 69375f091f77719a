"""Key hygiene: the private key and the keystore password never appear in any output, log,
MCP message or database byte, whatever the command, the key source or the error.

Three key sources (PURSE_PRIVATE_KEY, a 0600 key file, a `purse keygen` keystore) × every CLI
command and every MCP tool, plus the error paths (bad keys, a 0644 key file, a wrong password,
keygen misuse). Everything printed is captured, then grepped for each secret: the key's hex in any
case, with or without 0x, any 20-hex-digit window of it (a partial echo), its raw 32 bytes in the
database files, and the passwords.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import stat
from pathlib import Path

from eth_account import Account

from conftest import mint
from hostile_server import HostileServer
from mcp_driver import PurseMCP
from purse_e2e import CAPTURED, RawServe, base_env, new_key, run_purse, tool_call, write_config

WINDOW = 20


def mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


class Secrets:
    def __init__(self):
        self.keys: list[str] = []       # 64 lower-case hex digits, no 0x
        self.passwords: list[str] = []

    def add_key(self, k: str):
        self.keys.append(k.lower().removeprefix("0x"))

    def text_hits(self, text: str) -> list[str]:
        low = text.lower()
        hits = []
        for k in self.keys:
            if k in low:
                hits.append(f"key {k[:6]}… (full)")
                continue
            for i in range(0, len(k) - WINDOW + 1):
                if k[i:i + WINDOW] in low:
                    hits.append(f"key {k[:6]}… (partial at {i})")
                    break
        for p in self.passwords:
            if p in text:
                hits.append(f"password {p[:4]}…")
        return hits

    def bytes_hits(self, data: bytes) -> list[str]:
        hits = self.text_hits(data.decode("latin-1"))
        for k in self.keys:
            if bytes.fromhex(k) in data:
                hits.append(f"key {k[:6]}… (raw bytes)")
        for p in self.passwords:
            if p.encode("utf-16-le") in data:
                hits.append(f"password {p[:4]}… (utf-16)")
        return hits


def test_key_hygiene(world, purse_bin, tmp_path):
    CAPTURED.clear()
    sec = Secrets()
    seller = world["sellerUrl"]
    hostile = HostileServer(world).start()
    mcp_texts: list[tuple[str, str]] = []
    files_to_scan: list[Path] = []
    dbs: list[Path] = []

    # -- the three key sources ----------------------------------------------------------------
    env_key, env_addr = new_key(world, 10_000_000)
    sec.add_key(env_key)
    file_key, file_addr = new_key(world, 10_000_000)
    sec.add_key(file_key)
    keyfile = tmp_path / "key.hex"
    keyfile.write_text(file_key + "\n")
    keyfile.chmod(0o600)
    password = "pw-" + secrets.token_urlsafe(18)
    wrong_password = "wrong-" + secrets.token_urlsafe(18)
    sec.passwords += [password, wrong_password]

    home = tmp_path / "home"
    home.mkdir()
    plain_env = base_env(home)
    ks = tmp_path / "ks" / "keystore.json"
    ks.parent.mkdir()
    r = run_purse(purse_bin, ["keygen", "--out", str(ks)], {**plain_env, "PURSE_KEY_PASSWORD": password}, timeout=120)
    print(f"\nkeygen: exit {r.rc} in {r.seconds:.1f} s; stdout {r.stdout.strip()[:120]!r}")
    assert r.rc == 0, r
    assert mode(ks) == 0o600, oct(mode(ks))
    ks_key = Account.decrypt(json.loads(ks.read_text()), password)
    ks_key = "0x" + bytes(ks_key).hex()
    sec.add_key(ks_key)
    ks_addr = Account.from_key(ks_key).address
    files_to_scan.append(ks)
    # keygen printed the address, not the key
    assert ks_addr.lower() in (r.stdout + r.stderr).lower()

    # The keystore source runs every command below: a keystore of the same format with a light
    # scrypt cost (n = 2^12), written by eth-account, so that a debug build does not spend 2-3 s
    # of CPU per command in scrypt. Hygiene does not depend on the cost; keygen's own keystore
    # (the standard n = 2^18) is read by the wrong-password and missing-password cases below.
    light_key, light_addr = new_key(world, 10_000_000)
    sec.add_key(light_key)
    light_ks = tmp_path / "ks" / "light.json"
    light_ks.write_text(json.dumps(Account.encrypt(light_key, password, kdf="scrypt", iterations=2**12)))
    light_ks.chmod(0o600)
    files_to_scan.append(light_ks)

    sources = {
        "env": (base_env(home, env_key), {}, env_addr),
        "file": (plain_env, {"key": {"file": str(keyfile)}}, file_addr),
        "keystore": ({**plain_env, "PURSE_KEY_PASSWORD": password},
                     {"key": {"keystore": str(light_ks), "passwordEnv": "PURSE_KEY_PASSWORD"}}, light_addr),
    }

    rcs: dict[str, int] = {}

    def cli(label, args, env, cfg, db, **kw):
        r = run_purse(purse_bin, args, env, config=cfg, db=db, **kw)
        rcs[label] = r.rc
        return r

    for name, (env, keycfg, addr) in sources.items():
        d = tmp_path / name
        d.mkdir()
        db = d / "newdir" / "purse.db"  # purse creates the directory
        dbs.append(db)
        cfg = write_config(d / "config.json", world, **keycfg)
        a = cli(f"{name} address", ["address"], env, cfg, db)
        assert a.rc == 0 and a.stdout.strip().lower() == addr.lower(), a
        cli(f"{name} balance", ["balance"], env, cfg, db)
        cli(f"{name} balance --json", ["balance", "--json"], env, cfg, db)
        cli(f"{name} quote", ["quote", seller + "/weather"], env, cfg, db)
        cli(f"{name} quote --json", ["quote", seller + "/multi", "--json"], env, cfg, db)
        paid = cli(f"{name} fetch paid", ["fetch", seller + "/weather", "--json"], env, cfg, db)
        assert paid.rc == 0 and paid.json()["outcome"] == "paid", paid
        cli(f"{name} fetch paid (text)", ["fetch", seller + "/weather"], env, cfg, db)
        assert cli(f"{name} fetch refused", ["fetch", seller + "/expensive", "--json"], env, cfg, db).rc == 3
        cli(f"{name} fetch fail-after-payment", ["fetch", seller + "/fail-after-payment", "--json"], env, cfg, db)
        for case in ("bad-base64", "payto-bad-checksum", "always-402"):
            cli(f"{name} fetch hostile {case}", ["fetch", f"{hostile.base_url}/{case}", "--json"], env, cfg, db)
        cli(f"{name} fetch hostile text", ["fetch", f"{hostile.base_url}/amount-1e30"], env, cfg, db)
        for fmt in ("table", "json", "csv"):
            assert cli(f"{name} spend-log {fmt}", ["spend-log", "--format", fmt], env, cfg, db).rc == 0
        cli(f"{name} budget", ["budget"], env, cfg, db)
        cli(f"{name} budget --json", ["budget", "--json"], env, cfg, db)
        cli(f"{name} reconcile", ["reconcile"], env, cfg, db)
        assert mode(db) == 0o600, f"{db}: {oct(mode(db))}"
        assert mode(db.parent) == 0o700, f"{db.parent}: {oct(mode(db.parent))}"
        for extra in ("-wal", "-shm"):
            p = Path(str(db) + extra)
            if p.exists():
                assert mode(p) == 0o600, f"{p}: {oct(mode(p))}"

        # -- every MCP tool, through the official client, logs included --------------------
        async def mcp_session():
            async with PurseMCP([str(purse_bin), "serve", "--config", str(cfg), "--db", str(db)], env, elicit="accept") as s:
                out = {"tools": await s.tools()}
                for tool, args in [("wallet_address", {}), ("wallet_balance", {}), ("budget_status", {}),
                                   ("quote", {"url": seller + "/weather"}), ("paid_fetch", {"url": seller + "/weather"}),
                                   ("paid_fetch", {"url": seller + "/expensive"}),
                                   ("paid_fetch", {"url": hostile.base_url + "/always-402"}),
                                   ("paid_fetch", {"url": hostile.base_url + "/bad-base64"}),
                                   ("spend_log", {}), ("spend_log", {"session": "last"}), ("wallet_balance", {"network": "eip155:1"})]:
                    out[f"{tool} {json.dumps(args)}"] = await s.call(tool, args)
                out["res spend-log"] = await s.read("purse://spend-log")
                out["res budget"] = await s.read("purse://budget")
                return out, s.logs, s.elicitations

        out, logs, elicitations = asyncio.run(mcp_session())
        mcp_texts.append((f"{name} mcp results", json.dumps(out)))
        mcp_texts.append((f"{name} mcp logs", json.dumps(logs)))
        mcp_texts.append((f"{name} mcp elicitations", json.dumps(elicitations)))
        print(f"{name}: MCP {len(out) - 1} calls, {len(logs)} log notifications")

        # -- the same over raw JSON-RPC, to capture serve's stderr too ---------------------
        raw = RawServe(purse_bin, env, cfg, db)
        try:
            raw.initialize("2025-06-18", {"elicitation": {}})
            raw.send({"jsonrpc": "2.0", "id": 1, "method": "logging/setLevel", "params": {"level": "debug"}})
            raw.wait_for(1)
            for i, (tool, args) in enumerate([("wallet_address", {}), ("paid_fetch", {"url": seller + "/weather"}),
                                              ("paid_fetch", {"url": hostile.base_url + "/json-array"}),
                                              ("spend_log", {"limit": 50})], start=2):
                raw.send(tool_call(i, tool, args))
                raw.wait_for(i, 60)
            raw.finish(15)
        finally:
            raw.kill()
        dbs_files = [db, Path(str(db) + "-wal"), Path(str(db) + "-shm")]
        files_to_scan += [p for p in dbs_files if p.exists()]

    # -- error paths ---------------------------------------------------------------------------
    d = tmp_path / "errors"
    d.mkdir()
    cfg = write_config(d / "config.json", world)
    db = d / "purse.db"
    dbs.append(db)
    bad_keys = {
        "wrong-length": env_key[:-2],
        "too-long": env_key + "00",
        "non-hex": env_key[:-2] + "zz",
        "no-0x": env_key.removeprefix("0x"),
        "spaces": " " + env_key + " ",
    }
    for label, k in bad_keys.items():
        r = cli(f"bad key {label}", ["fetch", seller + "/weather", "--json"], base_env(home, k), cfg, db)
        print(f"bad key {label}: exit {r.rc}: {(r.stderr or r.stdout).strip()[:160]}")
        if label in ("wrong-length", "too-long", "non-hex"):
            assert r.rc == 1, r
        cli(f"bad key {label} address", ["address"], base_env(home, k), cfg, db)

    loose = tmp_path / "loose.hex"
    loose.write_text(file_key + "\n")
    loose.chmod(0o644)
    cfg_loose = write_config(d / "loose.json", world, key={"file": str(loose)})
    r = cli("key file 0644", ["fetch", seller + "/weather", "--json"], plain_env, cfg_loose, db)
    print(f"key file 0644: exit {r.rc}: {(r.stderr or r.stdout).strip()[:200]}")
    assert r.rc == 1, r
    assert "0600" in (r.stderr + r.stdout) or "permission" in (r.stderr + r.stdout).lower(), r
    r2 = cli("key file 0644 address", ["address"], plain_env, cfg_loose, db)
    assert r2.rc == 1, r2

    cfg_ks = write_config(d / "ks.json", world, key={"keystore": str(ks), "passwordEnv": "PURSE_KEY_PASSWORD"})
    r = cli("wrong keystore password", ["fetch", seller + "/weather", "--json"], {**plain_env, "PURSE_KEY_PASSWORD": wrong_password}, cfg_ks, db)
    print(f"wrong keystore password: exit {r.rc}: {(r.stderr or r.stdout).strip()[:200]}")
    assert r.rc == 1, r
    r = cli("keystore password missing", ["address"], plain_env, cfg_ks, db)
    print(f"keystore password env unset: exit {r.rc}: {(r.stderr or r.stdout).strip()[:200]}")
    assert r.rc == 1, r

    # keygen misuse: existing file, no password, a directory that does not exist, a bad kdf
    before = ks.read_bytes()
    r = cli("keygen existing", ["keygen", "--out", str(ks)], {**plain_env, "PURSE_KEY_PASSWORD": password}, None, None)
    assert r.rc != 0 and ks.read_bytes() == before, r
    r = cli("keygen no password", ["keygen", "--out", str(tmp_path / "ks2.json")], plain_env, None, None)
    print(f"keygen without PURSE_KEY_PASSWORD and no tty: exit {r.rc}: {(r.stderr or r.stdout).strip()[:160]}")
    assert r.rc != 0, r
    cli("keygen missing dir", ["keygen", "--out", str(tmp_path / "nope" / "deeper" / "ks.json")],
        {**plain_env, "PURSE_KEY_PASSWORD": password}, None, None)
    cli("keygen bad kdf", ["keygen", "--out", str(tmp_path / "ks3.json"), "--kdf", "md5"],
        {**plain_env, "PURSE_KEY_PASSWORD": password}, None, None)
    r = cli("keygen pbkdf2", ["keygen", "--out", str(tmp_path / "ks4.json"), "--kdf", "pbkdf2"],
            {**plain_env, "PURSE_KEY_PASSWORD": password}, None, None, timeout=120)
    if r.rc == 0:
        assert mode(tmp_path / "ks4.json") == 0o600
        k4 = "0x" + bytes(Account.decrypt(json.loads((tmp_path / "ks4.json").read_text()), password)).hex()
        sec.add_key(k4)
        files_to_scan.append(tmp_path / "ks4.json")
    hostile.stop()

    files_to_scan += [p for db in dbs for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")) if p.exists()]
    files_to_scan = list(dict.fromkeys(files_to_scan))

    # -- the grep -------------------------------------------------------------------------------
    leaks: list[str] = []
    places = 0
    for label, text in CAPTURED + mcp_texts:
        places += 1
        leaks += [f"{label}: {h}" for h in sec.text_hits(text)]
    for p in files_to_scan:
        places += 1
        leaks += [f"{p}: {h}" for h in sec.bytes_hits(p.read_bytes())]
    # the keystore holds the key encrypted: the plaintext must not be in it
    print(f"exit codes: {json.dumps(rcs)}")
    print(f"searched {len(CAPTURED)} captured outputs, {len(mcp_texts)} MCP transcripts, {len(files_to_scan)} files "
          f"for {len(sec.keys)} keys and {len(sec.passwords)} passwords")
    print(f"KEY LEAKS: {len(leaks)} ({places} places searched)")
    for x in leaks:
        print("  LEAK", x)
    assert not leaks
    assert len(CAPTURED) > 100
