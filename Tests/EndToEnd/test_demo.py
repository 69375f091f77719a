"""The demo (`purse demo` / scripts/demo) runs end to end and prints the receipt."""

import os
import re
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "local-world" / "demo.py"


def test_demo_runs_and_prints_receipt(purse_bin, tmp_path):
    report = tmp_path / "demo-report.html"
    env = dict(os.environ, PURSE_BIN=str(purse_bin), PURSE_DEMO_REPORT=str(report))
    r = subprocess.run([sys.executable, str(DEMO)], env=env, capture_output=True, text=True, timeout=180,
                       stdin=subprocess.DEVNULL)
    print(r.stdout, r.stderr[-3000:])
    assert r.returncode == 0, r.stderr[-3000:]
    assert re.search(r"receipt: transaction 0x[0-9a-fA-F]{64} \(settled\)", r.stdout), r.stdout
    assert "on-chain delta: payer -0.010000 USDC, seller 0.010000 USDC" in r.stdout
    assert "HTTP 200" in r.stdout and "sunny" in r.stdout
    assert "Done" in r.stdout
    # It ends by writing the spend report and printing its path.
    m = re.search(r"spend report \(.*\): (\S+\.html)", r.stdout)
    assert m and Path(m.group(1)) == report and report.exists(), r.stdout
    html = report.read_text()
    assert 'data-status="settled"' in html and "Purse spend report" in html
