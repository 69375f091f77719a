"""Headless Chromium for the report tests: render a local HTML file to a PNG and to its DOM,
collect console messages, decode the PNG in pure Python, and read the report's figures.

    shot = render(path)            # Shot(png, console, seconds)
    dom = dump_dom(path)           # (serialized DOM, console, seconds)
    img = decode_png(shot.png)     # Image(width, height, pixels as RGB tuples)
    page = ReportDOM.parse(dom)    # cards, byHost, bySession, payments, gauges, attention

Chromium is Debian's `chromium` (scripts/bootstrap --browser installs it). Every run has its own
throw-away profile, a bounded timeout, and its whole process group is killed afterwards.
The page has no script, so *any* console message is a failure: an uncaught error, a resource
blocked by the page's Content-Security-Policy, or a failed load. Chromium prints them on stderr
with `--enable-logging=stderr --v=0` as `…:CONSOLE:N] "message", source: …`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

TIMEOUT = float(os.environ.get("PURSE_BROWSER_TIMEOUT", "90"))
CONSOLE = re.compile(r":CONSOLE(?::\d+)?\]|CONSOLE\(\d+\)\]")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(args: list[str], timeout: float = TIMEOUT) -> tuple[str, list[str], float]:
    exe = chromium()
    assert exe, "chromium is not installed (scripts/bootstrap --browser installs it)"
    with tempfile.TemporaryDirectory(prefix="purse-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--no-first-run",
               "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", *args]
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise AssertionError(f"chromium did not finish within {timeout} s: {' '.join(args)}")
        finally:
            # Zygote and helper processes share the group: stop whatever is left of it.
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        took = time.monotonic() - t
    assert p.returncode == 0, f"chromium exited {p.returncode}:\n{err[-3000:]}"
    console = [line for line in err.splitlines() if CONSOLE.search(line)]
    return out, console, took


@dataclass
class Shot:
    png: bytes
    console: list[str]
    seconds: float


def render(path: Path, width: int = 1100, height: int = 1600, scale: float = 0.5) -> Shot:
    """Screenshot of `path` (scaled down by `scale` so the pure-Python decode stays quick)."""
    with tempfile.TemporaryDirectory(prefix="purse-shot-") as d:
        out = Path(d) / "shot.png"
        _, console, took = _run([f"--window-size={width},{height}", f"--force-device-scale-factor={scale}",
                                 "--hide-scrollbars", f"--screenshot={out}", Path(path).resolve().as_uri()])
        assert out.exists(), "chromium wrote no screenshot"
        return Shot(out.read_bytes(), console, took)


def dump_dom(path: Path) -> tuple[str, list[str], float]:
    """The DOM as Chromium built it (`--dump-dom`), the console messages and the seconds taken."""
    return _run(["--dump-dom", Path(path).resolve().as_uri()])


# ---- PNG (pure Python: zlib + the five PNG row filters) -----------------------------------------

@dataclass
class Image:
    width: int
    height: int
    rows: list[bytes]  # RGB, 3 bytes per pixel

    def pixels(self):
        for row in self.rows:
            for i in range(0, len(row), 3):
                yield row[i], row[i + 1], row[i + 2]


def decode_png(data: bytes) -> Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, [], 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        prev = line
        rows.append(bytes(line) if bpp == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
    return Image(width, height, rows)


@dataclass
class Picture:
    """What a screenshot shows, in numbers."""
    colours: int
    ink_fraction: float  # pixels that are not the white background
    settled_pixels: int  # pixels of the settled-bar blue (#0072B2, within a small tolerance)


def describe(img: Image) -> Picture:
    colours, ink, blue, total = set(), 0, 0, 0
    for r, g, b in img.pixels():
        total += 1
        colours.add((r, g, b))
        if (r, g, b) != (255, 255, 255):
            ink += 1
        if abs(r - 0x00) <= 6 and abs(g - 0x72) <= 6 and abs(b - 0xB2) <= 6:
            blue += 1
    return Picture(len(colours), ink / max(total, 1), blue)


# ---- the report's figures, read from the DOM ---------------------------------------------------

@dataclass
class ReportDOM:
    cards: dict[str, str] = field(default_factory=dict)           # id → data-amount (or data-count)
    by_host: dict[str, dict] = field(default_factory=dict)        # host → {settled, pending, released, count, kind}
    by_session: dict[str, dict] = field(default_factory=dict)
    payments: dict[int, dict] = field(default_factory=dict)       # id → attrs + amount + links
    attention: dict[int, dict] = field(default_factory=dict)      # unresolved rows
    attention_text: str = ""
    gauges: list[dict] = field(default_factory=list)
    buckets: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)                # every <a href>
    fetched: list[str] = field(default_factory=list)              # what the page would fetch
    text: str = ""
    capped: dict | None = None

    @classmethod
    def parse(cls, html: str) -> "ReportDOM":
        p = _ReportParser()
        p.feed(html)
        p.close()
        return p.dom


def is_network_address(value: str) -> bool:
    v = value.strip().strip("'\"").lower()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", v)) or (":" in v.split("/")[0] and not v.startswith(("data:", "#")))


class _ReportParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dom = ReportDOM()
        self.row: dict | None = None
        self.row_kind: str | None = None
        self.section: str | None = None
        self.in_style = False
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        d = self.dom
        for name in ("src", "srcset", "poster", "action", "xlink:href"):
            if name in a and a[name] and not a[name].startswith(("#", "data:")):
                d.fetched.append(f"{tag} {name}={a[name]}")
        if "href" in a and tag != "a" and not (a["href"] or "").startswith("#"):
            d.fetched.append(f"{tag} href={a['href']}")
        if "style" in a:
            self._scan_css(a["style"])
        if tag == "style":
            self.in_style = True
        if tag == "a":
            d.links.append(a.get("href") or "")
            if self.row is not None:
                self.row["link"] = a.get("href")
        if tag == "section":
            self.section = a.get("id")
            if self.section == "attention":
                d.attention_text = ""
        if a.get("id") in ("total-settled", "total-pending", "total-released", "today", "last-7-days"):
            d.cards[a["id"]] = a["data-amount"]
        if a.get("id") == "total-count":
            d.cards["total-count"] = a["data-count"]
        if a.get("id") == "table-capped":
            d.capped = {"shown": int(a["data-shown"]), "total": int(a["data-total"])}
        if tag == "g" and a.get("class") == "bucket":
            d.buckets.append({"start": a["data-start"], "settled": a["data-settled"], "pending": a["data-pending"]})
        if tag == "div" and a.get("class") == "gauge":
            d.gauges.append({k[5:]: v for k, v in a.items() if k.startswith("data-")})
        if tag == "tr":
            if self.section == "by-host" and "data-host" in a:
                self.row, self.row_kind = {"kind": a.get("data-kind")}, ("host", a["data-host"])
            elif self.section == "by-session" and "data-session" in a:
                self.row, self.row_kind = {}, ("session", a["data-session"])
            elif self.section in ("payments", "attention") and "data-id" in a:
                self.row = {k[5:]: v for k, v in a.items() if k.startswith("data-")}
                self.row["class"] = a.get("class")
                self.row_kind = (self.section, int(a["data-id"]))
        if tag == "td" and self.row is not None:
            if "data-field" in a and "data-amount" in a:
                self.row[a["data-field"]] = a["data-amount"]
            elif "data-field" in a and "data-count" in a:
                self.row["count"] = int(a["data-count"])
            elif "data-amount" in a:
                self.row["amount"] = a["data-amount"]

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag == "tr" and self.row is not None:
            kind, key = self.row_kind
            target = {"host": self.dom.by_host, "session": self.dom.by_session, "payments": self.dom.payments,
                      "attention": self.dom.attention}[kind]
            target[key] = self.row
            self.row = None
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.in_style:
            self._scan_css(data)
            return
        self.texts.append(data)
        if self.section == "attention":
            self.dom.attention_text += data

    def close(self):
        super().close()
        self.dom.text = " ".join(" ".join(self.texts).split())

    def _scan_css(self, css: str):
        low = css.lower()
        if "@import" in low:
            self.dom.fetched.append("@import")
        for m in re.finditer(r"url\(\s*([^)]*)\)", low):
            if is_network_address(m.group(1)) or not m.group(1).strip("'\" ").startswith(("#", "data:")):
                self.dom.fetched.append(f"url({m.group(1)})")
