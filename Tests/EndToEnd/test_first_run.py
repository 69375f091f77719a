"""First run: `purse init`, `purse doctor` and `key.passwordCommand`, in a temporary HOME.

Every "Must show" of the first-run issue, against the real binary:
- Claude Desktop: init writes a 0600 keystore and a schema-valid config, adds `purse` to the
  host file keeping the other server byte for byte, leaves a backup; a second run changes no
  byte; doctor then passes against the offline world (config pointed at the local chain) and
  fails with ✗ and a fix when the RPC is down.
- Cursor and VS Code the same way; Claude Code prints the `claude mcp add` line, and runs it
  (a fake `claude` on PATH records its argv) unless the same registration is already there.
- passwordCommand: `purse address` works with a script printing the password; a failing or
  hanging command is a clear error within its timeout; the password is never printed.
- A corrupt host JSON is refused and left byte-identical; a read-only one too.
- Bad input: unset password variable, a keystore that exists, init killed half way.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_account import Account

from purse_e2e import DEFAULT_TIMEOUT, asset, capture
from worldlib import mint

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "config.schema.json").read_text())
PASSWORD = "correct horse battery staple"
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
KDF = ["--kdf", "pbkdf2"]  # the default scrypt is slow in a debug build; the format is the same

OTHER_SERVER_FILE = """{
  "mcpServers": {
    "weather": {
      "command": "uvx",
      "args": ["weather-mcp", "--units", "metric"],
      "env": {"WEATHER_KEY": "abc123"}
    }
  },
  "globalShortcut": "Alt+Space"
}
"""


class Home:
    """A temporary HOME with the paths each host uses on Linux."""

    def __init__(self, root: Path, purse_bin: Path):
        self.root = root
        self.bin = Path(os.path.realpath(purse_bin))
        (root / "bin").mkdir(parents=True, exist_ok=True)
        self.config = root / ".config" / "purse" / "config.json"
        self.keystore = root / ".config" / "purse" / "keystore.json"
        self.claude_desktop = root / ".config" / "Claude" / "claude_desktop_config.json"
        self.cursor = root / ".cursor" / "mcp.json"
        self.vscode = root / ".config" / "Code" / "User" / "mcp.json"
        self.claude_json = root / ".claude.json"
        self.outputs: list[str] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {"HOME": str(self.root), "PATH": f"{self.root / 'bin'}:{SYSTEM_PATH}", "LANG": "C.UTF-8", "PW": PASSWORD}
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}

    def purse(self, *args: str, env: dict | None = None, timeout: float = DEFAULT_TIMEOUT) -> subprocess.CompletedProcess:
        p = subprocess.run([str(self.bin), *args], capture_output=True, text=True, timeout=timeout,
                           env=env if env is not None else self.env(), stdin=subprocess.DEVNULL)
        self.outputs += [p.stdout, p.stderr]
        capture(f"first-run: purse {' '.join(args)}", p.stdout + p.stderr)
        print(f"$ purse {' '.join(args)} → exit {p.returncode}\n{p.stdout}{p.stderr}", file=sys.stderr)
        return p

    def init(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return self.purse("init", *args, *KDF, "--yes", env=env, timeout=120)

    def write(self, path: Path, text: str, mode: int = 0o644) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(mode)

    def snapshot(self) -> dict[str, tuple[bytes, int, int]]:
        """Every file under HOME: bytes, mode, mtime (ns)."""
        out = {}
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and not p.is_symlink():
                st = p.stat()
                out[str(p.relative_to(self.root))] = (p.read_bytes(), stat.S_IMODE(st.st_mode), st.st_mtime_ns)
        return out

    def backups(self, path: Path) -> list[Path]:
        return sorted(path.parent.glob(path.name + ".purse-backup-*"))

    def address(self) -> str:
        return Account.from_key(Account.decrypt(json.loads(self.keystore.read_text()), PASSWORD)).address

    def assert_password_never_printed(self) -> None:
        """Neither the password nor (when a keystore exists) the key's hex appeared in any output."""
        secrets = [PASSWORD]
        if self.keystore.exists():
            try:
                secrets.append(bytes(Account.decrypt(json.loads(self.keystore.read_text()), PASSWORD)).hex())
            except ValueError:
                pass
        for text in self.outputs:
            for secret in secrets:
                assert secret not in text.lower() and secret not in text, "a secret was printed"


@pytest.fixture
def home(tmp_path, purse_bin) -> Home:
    return Home(tmp_path / "home", purse_bin)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def validate_config(path: Path) -> dict:
    from jsonschema import Draft202012Validator
    doc = json.loads(path.read_text())
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return doc


def point_at_world(h: Home, world: dict, rpc_url: str | None = None) -> None:
    """The config, edited by hand as a human would: the local chain and its token."""
    cfg = json.loads(h.config.read_text())
    cfg["networks"] = {world["network"]: {"rpcUrl": rpc_url or world["rpcUrl"], "assets": [asset(world)]}}
    cfg["policy"]["allowNetworks"] = [world["network"]]
    cfg["policy"]["allowAssets"] = [world["token"]]
    h.config.write_text(json.dumps(cfg, indent=2))
    validate_config(h.config)


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- Claude Desktop: the whole first run -------------------------------------------------------

def test_claude_desktop_first_run_then_doctor_against_the_world(home: Home, world):
    h = home
    h.write(h.claude_desktop, OTHER_SERVER_FILE)
    original = h.claude_desktop.read_bytes()

    r = h.init("--host", "claude-desktop", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    address = h.address()
    assert address in r.stdout
    assert "Base Sepolia (eip155:84532), a testnet" in r.stdout
    assert "https://faucet.circle.com" in r.stdout and "restart Claude Desktop" in r.stdout

    # the keystore: 0600, opens with the password, never printed
    assert mode(h.keystore) == 0o600
    ks = json.loads(h.keystore.read_text())
    assert ks["version"] == 3 and ks["crypto"]["kdf"] == "pbkdf2"
    # the config: valid against the schema, safe defaults, the key by keystore + passwordEnv
    cfg = validate_config(h.config)
    assert cfg["key"] == {"keystore": str(h.keystore), "passwordEnv": "PW"}
    assert cfg["policy"]["allowNetworks"] == ["eip155:84532"]
    assert cfg["policy"]["confirmAbove"] == "0.05" and cfg["policy"]["maxPerRequest"] == "0.10"
    # the host file: purse added, the other server and the other key kept, a backup of the original
    doc = json.loads(h.claude_desktop.read_text())
    assert doc["mcpServers"]["weather"] == json.loads(OTHER_SERVER_FILE)["mcpServers"]["weather"]
    assert doc["globalShortcut"] == "Alt+Space"
    purse = doc["mcpServers"]["purse"]
    assert purse["command"] == str(h.bin)
    assert purse["args"] == ["serve", "--config", str(h.config)]
    assert purse["env"] == {"PW": PASSWORD, "PURSE_SESSION_LABEL": "claude-desktop"}
    assert mode(h.claude_desktop) == 0o600, "it now holds the keystore password"
    text = h.claude_desktop.read_bytes()
    kept = OTHER_SERVER_FILE[:OTHER_SERVER_FILE.index('    }\n  },') + len('    }')].encode()
    assert text.startswith(kept), "the other server's bytes are untouched"
    [backup] = h.backups(h.claude_desktop)
    assert backup.read_bytes() == original
    print(f"host file after init:\n{text.decode()}")

    # a second run changes no byte (and no mode, no mtime, no new file)
    before = h.snapshot()
    r2 = h.init("--host", "claude-desktop", "--password-env", "PW")
    assert r2.returncode == 0, r2.stderr
    assert "Nothing to change" in r2.stdout and "already registered" in r2.stdout
    assert "not applied" not in r2.stderr, "the same options again are not a conflict"
    assert h.snapshot() == before

    # doctor against the offline world, the config pointed at the local chain, the wallet funded
    point_at_world(h, world)
    assert int(mint(world, address, "2500000")["status"], 16) == 1
    d = h.purse("doctor")
    assert d.returncode == 0, d.stdout + d.stderr
    assert f"✓ key" in d.stdout and address in d.stdout
    assert "✓ network" in d.stdout and "✓ funds" in d.stdout and "2.50 USDC" in d.stdout
    assert "✓ ledger" in d.stdout and re.search(r"sqlite schema v\d+, integrity ok, writable", d.stdout)
    assert "Claude Desktop runs this purse" in d.stdout
    report = json.loads(h.purse("doctor", "--json").stdout)
    assert report["ok"] is True and report["address"] == address
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["keystore_mode"] == "ok" and statuses["host.claude-desktop"] == "ok"
    assert statuses["host.cursor"] == "skip"

    # the RPC down: ✗ with the fix, exit ≠ 0
    point_at_world(h, world, rpc_url=f"http://127.0.0.1:{free_port()}")
    bad = h.purse("doctor")
    assert bad.returncode != 0
    assert "✗ network" in bad.stdout and "does not answer" in bad.stdout
    assert "fix: check networks.eip155:84532.rpcUrl" in bad.stdout
    h.assert_password_never_printed()


# ---- Cursor and VS Code ------------------------------------------------------------------------

def test_cursor_keeps_the_other_server_and_is_idempotent(home: Home):
    h = home
    h.write(h.cursor, OTHER_SERVER_FILE)
    r = h.init("--host", "cursor", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    assert f"added purse to {h.cursor} (1 other server kept; backup" in r.stdout
    doc = json.loads(h.cursor.read_text())
    assert set(doc["mcpServers"]) == {"weather", "purse"}
    assert doc["mcpServers"]["purse"]["command"] == str(h.bin)
    assert doc["mcpServers"]["purse"]["env"]["PURSE_SESSION_LABEL"] == "cursor"
    assert len(h.backups(h.cursor)) == 1
    before = h.snapshot()
    assert h.init("--host", "cursor", "--password-env", "PW").returncode == 0
    assert h.snapshot() == before


def test_vscode_uses_servers_and_an_input_prompt_never_the_password(home: Home):
    h = home
    h.write(h.vscode, '{\n\t"servers": {\n\t\t"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}\n\t},\n\t"inputs": []\n}\n')
    original = h.vscode.read_bytes()
    r = h.init("--host", "vscode", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    text = h.vscode.read_text()
    assert PASSWORD not in text
    doc = json.loads(text)
    assert doc["servers"]["github"] == {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}
    purse = doc["servers"]["purse"]
    assert purse["type"] == "stdio" and purse["command"] == str(h.bin)
    assert purse["env"]["PW"] == "${input:purse-password}"
    assert doc["inputs"] == [{"type": "promptString", "id": "purse-password", "description": "Purse keystore password", "password": True}]
    assert '\n\t\t"purse": {\n\t\t\t"type": "stdio",' in text, "tabs, as the file had"
    [backup] = h.backups(h.vscode)
    assert backup.read_bytes() == original
    before = h.snapshot()
    assert h.init("--host", "vscode", "--password-env", "PW").returncode == 0
    assert h.snapshot() == before


def test_several_hosts_at_once_and_a_missing_host_file_is_created(home: Home):
    h = home
    r = h.init("--host", "cursor", "--host", "claude-desktop", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    for path in (h.cursor, h.claude_desktop):
        assert json.loads(path.read_text())["mcpServers"]["purse"]["command"] == str(h.bin)
        assert mode(path) == 0o600 and not h.backups(path)


# ---- Claude Code -------------------------------------------------------------------------------

def claude_line(h: Home) -> str:
    return (f'claude mcp add --scope user --env PW="$PW" --env PURSE_SESSION_LABEL=claude-code purse -- '
            f'{h.bin} serve --config {h.config}')


def test_claude_code_prints_the_line_without_claude(home: Home):
    h = home
    r = h.init("--host", "claude-code", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    assert "`claude` is not on PATH" in r.stdout
    assert claude_line(h) in r.stdout
    assert "one step is left" in r.stdout
    h.assert_password_never_printed()


def test_claude_code_runs_claude_mcp_add_with_the_right_argv(home: Home):
    h = home
    log = h.root / "claude-argv.jsonl"
    fake = h.root / "bin" / "claude"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\n"
                    f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    fake.chmod(0o755)
    r = h.init("--host", "claude-code", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    [argv] = [json.loads(line) for line in log.read_text().splitlines()]
    assert argv == ["mcp", "add", "--scope", "user", "--env", f"PW={PASSWORD}", "--env", "PURSE_SESSION_LABEL=claude-code",
                    "purse", "--", str(h.bin), "serve", "--config", str(h.config)]
    assert "registered with" in r.stdout and claude_line(h) in r.stdout

    # what `claude mcp add` would have stored: a re-run sees it and runs nothing
    h.write(h.claude_json, json.dumps({"numStartups": 3, "mcpServers": {"purse": {
        "type": "stdio", "command": str(h.bin), "args": ["serve", "--config", str(h.config)],
        "env": {"PW": PASSWORD, "PURSE_SESSION_LABEL": "claude-code"}}}}))
    r2 = h.init("--host", "claude-code", "--password-env", "PW")
    assert r2.returncode == 0 and "already registered" in r2.stdout
    assert len(log.read_text().splitlines()) == 1

    # an older registration is removed, then added again
    h.write(h.claude_json, json.dumps({"mcpServers": {"purse": {"type": "stdio", "command": "/old/purse", "args": ["serve"]}}}))
    assert h.init("--host", "claude-code", "--password-env", "PW").returncode == 0
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[1] == ["mcp", "remove", "--scope", "user", "purse"] and calls[2][:3] == ["mcp", "add", "--scope"]
    h.assert_password_never_printed()


def test_host_none_prints_the_snippet(home: Home):
    h = home
    r = h.init("--host", "none", "--password-env", "PW")
    assert r.returncode == 0, r.stderr
    start = r.stdout.index("{")
    snippet = json.loads(r.stdout[start:r.stdout.index("\n}\n", start) + 2])
    assert snippet["mcpServers"]["purse"]["command"] == str(h.bin)
    assert snippet["mcpServers"]["purse"]["env"]["PW"] == "<your keystore password>"
    h.assert_password_never_printed()


# ---- passwordCommand ---------------------------------------------------------------------------

def script(h: Home, name: str, body: str) -> Path:
    p = h.root / "bin" / name
    p.write_text("#!/bin/sh\n" + body + "\n")
    p.chmod(0o700)
    return p


def test_password_command_opens_the_keystore_and_fails_clearly(home: Home):
    h = home
    script(h, "purse-pw", f"printf '%s\\n' '{PASSWORD}'")
    no_pw = h.env(PW=None)
    r = h.init("--password-command", "purse-pw", env=no_pw)
    assert r.returncode == 0, r.stderr
    cfg = validate_config(h.config)
    assert cfg["key"] == {"keystore": str(h.keystore), "passwordCommand": ["purse-pw"]}
    a = h.purse("address", env=no_pw)
    assert a.returncode == 0, a.stderr
    assert a.stdout.strip() == h.address()

    # a failing command: a coded error naming the program, not its output
    script(h, "purse-pw", "echo 'half-a-secret'; echo 'vault locked' >&2; exit 2")
    f = h.purse("address", env=no_pw)
    assert f.returncode == 1 and "[key.password_command_failed]" in f.stderr and "exited with status 2" in f.stderr
    assert "half-a-secret" not in f.stdout + f.stderr

    # a hanging command: stopped at its timeout
    script(h, "purse-pw", "sleep 60")
    cfg["key"]["passwordCommandTimeoutSeconds"] = 2
    h.config.write_text(json.dumps(cfg))
    validate_config(h.config)
    t0 = time.monotonic()
    t = h.purse("address", env=no_pw)
    took = time.monotonic() - t0
    print(f"hanging passwordCommand: exit {t.returncode} after {took:.2f} s: {t.stderr.strip()}")
    assert t.returncode == 1 and "[key.password_command_timeout]" in t.stderr
    assert "within 2 s" in t.stderr and 1.9 <= took < 8
    h.assert_password_never_printed()


# ---- broken set-ups ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['{"mcpServers": {"weather": {"command": "uvx"}},}\n',
                                  '{\n  // my servers\n  "mcpServers": {}\n}\n',
                                  '{"mcpServers": ["not", "an", "object"]}'])
def test_a_corrupt_host_file_is_refused_and_left_byte_identical(home: Home, text: str):
    h = home
    h.write(h.claude_desktop, text)
    before = h.claude_desktop.stat()
    r = h.init("--host", "claude-desktop", "--password-env", "PW")
    assert r.returncode == 1
    assert "[host.not_json]" in r.stderr or "[host.bad_shape]" in r.stderr
    assert "left it untouched" in r.stderr
    assert h.claude_desktop.read_text() == text
    after = h.claude_desktop.stat()
    assert (after.st_mtime_ns, after.st_mode, after.st_ino) == (before.st_mtime_ns, before.st_mode, before.st_ino)
    assert not h.backups(h.claude_desktop)
    assert sorted(p.name for p in h.claude_desktop.parent.iterdir()) == ["claude_desktop_config.json"]


def test_a_read_only_host_file_is_refused(home: Home):
    h = home
    h.write(h.cursor, OTHER_SERVER_FILE, mode=0o444)
    r = h.init("--host", "cursor", "--password-env", "PW")
    assert r.returncode == 1 and "[host.read_only]" in r.stderr and "read-only" in r.stderr
    assert h.cursor.read_text() == OTHER_SERVER_FILE and mode(h.cursor) == 0o444


def test_an_unset_password_variable_writes_nothing(home: Home):
    h = home
    r = h.init("--host", "cursor", "--password-env", "NOT_SET_ANYWHERE")
    assert r.returncode == 1 and "[init.password_env_unset]" in r.stderr
    assert not h.keystore.exists() and not h.config.exists() and not h.cursor.exists()


def test_an_existing_keystore_is_never_overwritten(home: Home):
    h = home
    h.keystore.parent.mkdir(parents=True)
    other = Account.create()
    h.keystore.write_text(json.dumps(Account.encrypt(other.key, "another password", kdf="pbkdf2", iterations=1000)))
    before = h.keystore.read_bytes()
    r = h.init("--password-env", "PW")
    assert r.returncode == 1 and "[init.keystore_exists]" in r.stderr and "never overwrites" in r.stderr
    assert h.keystore.read_bytes() == before and not h.config.exists()
    # with its own password, init adopts it (a re-run after an interrupted init does this)
    r2 = h.init("--password-env", "PW", env=h.env(PW="another password"))
    assert r2.returncode == 0, r2.stderr
    assert h.keystore.read_bytes() == before and other.address in r2.stdout


@pytest.mark.fault_injection
@pytest.mark.parametrize("point", [f"{stage}-{n}" for n in (1, 2, 3, 4) for stage in ("atomic-write", "after-write")])
def test_init_killed_at_any_step_leaves_complete_files_or_none(tmp_path, purse_bin, point):
    """SIGKILL (debug builds: PURSE_FAULT_KILL_AT) with the Nth file's temporary copy complete
    but not renamed, or right after the rename; the writes are 1 keystore, 2 config, 3 the host
    file's backup, 4 the host file. Every file is then absent or complete and valid, the host
    file is the original or the merged one, and a normal run finishes the set-up."""
    h = Home(tmp_path / "home", purse_bin)
    h.write(h.claude_desktop, OTHER_SERVER_FILE)
    original = h.claude_desktop.read_bytes()
    r = h.init("--host", "claude-desktop", "--password-env", "PW", env=h.env(PURSE_FAULT_KILL_AT=point))
    assert r.returncode == -signal.SIGKILL, r
    present = []
    if h.keystore.exists():
        assert mode(h.keystore) == 0o600
        h.address()  # complete: it decrypts
        present.append("keystore")
    if h.config.exists():
        validate_config(h.config)
        present.append("config")
    backups = h.backups(h.claude_desktop)
    for b in backups:
        assert b.read_bytes() == original
    host = h.claude_desktop.read_bytes()
    assert host == original or json.loads(host)["mcpServers"].keys() == {"weather", "purse"}
    present += ["backup"] * len(backups) + (["host"] if host != original else [])
    print(f"killed at {point}: {present}")

    r2 = h.init("--host", "claude-desktop", "--password-env", "PW")
    assert r2.returncode == 0, r2.stderr
    assert json.loads(h.claude_desktop.read_text())["mcpServers"]["purse"]["command"] == str(h.bin)
    validate_config(h.config)
    h.address()
    leftovers = [p.name for p in h.root.rglob("*.purse-tmp-*")]
    assert not leftovers, leftovers
