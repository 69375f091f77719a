"""Prints the fleet ledger comparison (purse-bench ledger-compare): SQLite vs PostgreSQL.

    python bench/fleet_report.py fleet.json
"""

import json
import sys


def main() -> int:
    d = json.load(open(sys.argv[1]))
    print()
    print("ledger reservations, SQLite (one file) vs PostgreSQL (one database), fsync on, 0 overspend required")
    print(f"{'backend':12} {'processes':>9} {'reservations/s':>15} {'median ms':>10} {'worst wait ms':>14} {'overspends':>10} {'errors':>6}")
    for key in sorted(d, key=lambda k: (int(k.split("_")[1]), k)):
        r = d[key]
        print(f"{r['backend']:12} {r['processes']:>9} {r['reservations_per_s']:>15} {float(r['median_ms']):>10.1f} "
              f"{float(r['worst_wait_ms']):>14.1f} {r['overspends']:>10} {r['errors']:>6}")
    print("targets: PostgreSQL >= 3000 reservations/s at 16 processes, worst wait < 50 ms; SQLite unchanged; 0 overspends")
    return 0 if all(r["overspends"] == 0 and r["errors"] == 0 for r in d.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
