"""Writes scripts/purse.order and scripts/purse-unnamed.ld: the code `purse serve` runs, for lld.

    python bench/link_order.py .build-static/release/purse [--map .build-static/purse.map]

Runs a debug-stripped copy of PURSE_BINARY under valgrind's callgrind (valgrind 3.19 cannot read
the toolchain's DWARF 5) through a real MCP session on pipes, in two phases: start (initialize,
initialized), then work (tools/list and three paid_fetch calls against the fast seller,
bench/fast_seller.py). callgrind_control dumps the counts at the end of each phase, so the
functions of the start phase are written first and the work phase adds only the functions it
runs beyond them; functions that run only at exit are left out. Why the split: an idle server
keeps resident only the 64 KiB windows its start touched, and with the two phases mixed the
start's functions were spread over the whole hot region, so idle kept most of the paid path's
code resident too. Functions are written mangled, one per line, in the order callgrind first
reports them (scripts/purse.order, lld's --symbol-ordering-file).

Some of the code that runs has no symbol: functions the Swift compiler emits unnamed (heap
object destructors, `.L__unnamed_N`), each in a section of its own that no ordering file can
name, so they stayed where their object file put them, one 64 KiB window each (about forty
windows after paid requests). Callgrind records every instruction it ran (--dump-instr), the
link map that scripts/build-release writes says which input section each address is in, and
those sections are written as a linker script (scripts/purse-unnamed.ld) that puts them at the
start of .text, the start phase's first. Takes about a minute. BENCH TOOLING ONLY; needs
valgrind and objcopy, and the map of the same link as PURSE_BINARY.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers import NETWORK, TOKEN, SellerProcess, _read_line, stop_process  # noqa: E402


def session(binary: str, callgrind_out: str, workdir: str, seller_url: str) -> list[str]:
    """Runs the two phases; returns the callgrind files of the start and the work phase."""
    cfg = os.path.join(workdir, "c.json")
    with open(cfg, "w") as f:
        json.dump({"networks": {NETWORK: {"rpcUrl": "http://127.0.0.1:9", "assets": [
            {"address": TOKEN, "name": "USDC", "version": "2", "decimals": 6, "symbol": "USDC"}]}},
            "policy": {"maxPerRequest": "0.10", "sessionBudget": "10", "dailyBudget": "10", "allowNetworks": [NETWORK]}}, f)
    env = {"HOME": workdir, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "PURSE_PRIVATE_KEY": "0x" + secrets.token_hex(32)}
    cmd = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--callgrind-out-file=" + callgrind_out, binary, "serve", "--config", cfg,
           "--db", os.path.join(workdir, "p.db"), "--no-reconcile"]
    with open(os.path.join(workdir, "stderr.log"), "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env, bufsize=0)
        try:
            buf = bytearray()

            def call(msg: dict) -> None:
                proc.stdin.write((json.dumps(msg) + "\n").encode())
                if "id" not in msg:
                    return
                deadline = time.monotonic() + 120
                while True:
                    line = _read_line(proc.stdout, deadline, buf)
                    if line is None:
                        raise RuntimeError(f"no answer to {msg['method']} under valgrind")
                    if json.loads(line).get("id") == msg["id"]:
                        return

            call({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "link-order", "version": "0"}}})

            def dump() -> None:
                # A ping answered means every earlier message was handled; then the counts so far
                # are written to callgrind_out.N and reset.
                call({"jsonrpc": "2.0", "id": 90 + len(dumps), "method": "ping"})
                subprocess.run(["callgrind_control", "--dump", str(proc.pid)], check=True, stdout=subprocess.DEVNULL)
                dumps.append(f"{callgrind_out}.{len(dumps) + 1}")

            dumps: list[str] = []
            call({"jsonrpc": "2.0", "method": "notifications/initialized"})
            dump()
            call({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            for i in range(3):
                call({"jsonrpc": "2.0", "id": 10 + i, "method": "tools/call",
                      "params": {"name": "paid_fetch", "arguments": {"url": seller_url + "/paid"}}})
            dump()
            return dumps
        finally:
            stop_process(proc, grace=60)


def functions(callgrind_out: str, binary_name: str) -> list[str]:
    """Functions of the binary in callgrind's order (C++ names as callgrind demangled them)."""
    objects: dict[str, str] = {}
    names: dict[str, str] = {}
    current = None
    out: list[str] = []
    seen: set[str] = set()
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            table = objects if kind.endswith("ob") else names
            if name:
                table[ident] = name
            if kind == "ob":
                current = objects.get(ident, "")
            elif kind == "fn" and current and os.path.basename(current) == binary_name:
                fn = names.get(ident, "").split("'")[0]
                if fn and fn not in seen:
                    seen.add(fn)
                    out.append(fn)
    return out


def instructions(callgrind_out: str, binary_name: str) -> list[int]:
    """Addresses of the binary's instructions that ran, in the order callgrind reports them.

    Cost lines start with the instruction's address: absolute (0x..), relative to the previous
    cost line (+n, -n) or the same (*); `calls=` lines carry the callee and do not move it.
    """
    out: list[int] = []
    objects: dict[str, str] = {}
    inside = False
    last = 0
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            if line.startswith(("ob=", "fn=", "fl=", "fi=", "fe=", "cob=", "cfn=", "cfl=", "cfi=", "calls=", "jump=", "jcnd=")):
                m = re.match(r"(c?)ob=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
                if m and m.group(3):
                    objects[m.group(2)] = m.group(3)  # an object is named where first mentioned, ob= or cob=
                if m and not m.group(1):
                    inside = os.path.basename(objects.get(m.group(2), "")) == binary_name
                continue
            head = line.split(" ", 1)[0]
            if head.startswith("0x"):
                last = int(head, 16)
            elif head[:1] in "+-" and head[1:].isdigit():
                last += int(head)
            elif head != "*":
                continue
            if inside:
                out.append(last)
    return out


def unnamed_sections(addresses: list[int], map_file: str) -> list[str]:
    """The unnamed-function input sections (`.text..L...`) the addresses fall in, first seen first,
    as linker-script input descriptions that match in any checkout (`*/MCP.build/Server.swift.o(..)`,
    `*libswiftCore.a:Metadata.cpp.o(..)`)."""
    starts: list[int] = []
    sections: list[tuple[int, int, str]] = []
    output = ""
    with open(map_file) as f:
        for line in f:
            m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+( +)(\S.*)$", line)
            if not m:
                continue
            indent, name = len(m.group(3)), m.group(4).strip()
            if indent == 1:
                output = name
            elif indent == 9 and output.startswith(".text") and ":(.text..L" in name:
                sections.append((int(m.group(1), 16), int(m.group(2), 16), name))
    sections.sort()
    starts = [a for a, _, _ in sections]
    out: list[str] = []
    seen: set[str] = set()
    for address in addresses:
        i = bisect.bisect_right(starts, address) - 1
        if i < 0 or address >= sections[i][0] + sections[i][1] or sections[i][2] in seen:
            continue
        seen.add(sections[i][2])
        where, section = sections[i][2].rsplit(":(", 1)
        if where.endswith(")"):  # archive(member)
            archive, member = where[:-1].split("(", 1)
            where = f"{os.path.basename(archive)}:{member}"
        else:
            where = "/".join(where.split("/")[-2:])
        out.append(f"*{where}({section[:-1]})")
    return out


def text_section(binary: str) -> tuple[int, int]:
    """The address and size of the binary's .text, to check a map belongs to it."""
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+\.text\s+PROGBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m:
            return int(m.group(1), 16), int(m.group(2), 16)
    raise RuntimeError(f"{binary} has no .text")


def map_text_section(map_file: str) -> tuple[int, int]:
    with open(map_file) as f:
        for line in f:
            m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ \.text$", line.rstrip("\n"))
            if m:
                return int(m.group(1), 16), int(m.group(2), 16)
    raise RuntimeError(f"{map_file} has no .text")


def mangled(binary: str) -> tuple[set[str], dict[str, str]]:
    raw = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines()
    dem = subprocess.run(["nm", "-C", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines()
    names = [r.split(" ", 2)[-1] for r in raw]
    back: dict[str, str] = {}
    for m, d in zip(names, (d.split(" ", 2)[-1] for d in dem)):
        back.setdefault(d, m)
    return set(names), back


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--out", default=str(HERE.parent / "scripts" / "purse.order"))
    ap.add_argument("--unnamed-out", default=str(HERE.parent / "scripts" / "purse-unnamed.ld"))
    ap.add_argument("--map", default=str(HERE.parent / ".build-static" / "purse.map"),
                    help="the link map of PURSE_BINARY (scripts/build-release writes it)")
    args = ap.parse_args()
    if map_text_section(args.map) != text_section(args.binary):
        print(f"link-order: {args.map} is not the map of {args.binary}'s link (relink it with scripts/build-release)", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="purse-link-order-")
    try:
        copy = os.path.join(work, "purse")
        subprocess.run(["objcopy", "--strip-debug", args.binary, copy], check=True)
        out = os.path.join(work, "callgrind.out")
        with SellerProcess() as seller:
            phases = session(copy, out, work, seller.url)
        known, back = mangled(copy)
        order_set: set[str] = set()
        order: list[str] = []
        for phase in phases:
            for fn in functions(phase, "purse"):
                sym = fn if fn in known else back.get(fn)
                if sym and sym not in order_set:
                    order_set.add(sym)
                    order.append(sym)
        Path(args.out).write_text("\n".join(order) + "\n")
        print(f"link-order: {len(order)} functions written to {args.out}", file=sys.stderr)
        unnamed = unnamed_sections([a for phase in phases for a in instructions(phase, "purse")], args.map)
        # The sections open .text (a separate output section would be outside the range valgrind
        # takes for the binary's code, and the next run could no longer see them); the rest of
        # .text follows in lld's own order, --symbol-ordering-file included.
        Path(args.unnamed_out).write_text(
            "/* Written by bench/link_order.py: the unnamed functions `purse serve` runs, at the start of .text. */\n"
            "SECTIONS {\n  .text : {\n" + "".join(f"    {u}\n" for u in unnamed) + "  }\n} INSERT AFTER .eh_frame;\n")
        print(f"link-order: {len(unnamed)} unnamed-function sections written to {args.unnamed_out}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
