"""Derive 200-customer VRPTW instances from the 1000-customer Gehring–Homberger ones.

The public 200-customer Gehring–Homberger files are not available offline; this is a
deterministic proxy. From each 1000-customer instance (VRPLIB format, as published in
github.com/PyVRP/Instances, MIT licence, taken there from LKH-3 / CVRPLIB) it keeps the
depot, the capacity, the service time and every kept customer's coordinates, demand and
window, samples 200 customers with ``random.Random(f"gh200:{name}")``, renumbers them 1..200
in their original order, sets 50 vehicles (the family's fleet is a quarter of the customer
count) and writes Solomon format, so ``guifan vrptw solve`` reads them as they are. With
``--customers 1000`` it is a plain format conversion (all customers, 250 vehicles).

    python -m bench.gh_derive --source /work/.mirror/PyVRP+Instances/repo \\
        --out bench/data/gh200 C1_10_1 C1_10_2 ...

``--source`` is a git directory (read with ``git show HEAD:VRPTW/<name>.vrp``) or a folder
holding ``<name>.vrp``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

CUSTOMERS = 200


def read_source(source: Path, name: str) -> str:
    plain = source / f"{name}.vrp"
    if plain.exists():
        return plain.read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "-C", str(source), "show", f"HEAD:VRPTW/{name}.vrp"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def parse_vrplib(text: str) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """Header fields and the rows of each ``*_SECTION``."""
    head: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for line in text.splitlines():
        s = line.strip()
        if not s or s == "EOF":
            continue
        if s.endswith("_SECTION"):
            current = s
            sections[current] = []
        elif ":" in s and not current:
            key, value = s.split(":", 1)
            head[key.strip()] = value.strip()
        elif current:
            sections[current].append(s.split())
    return head, sections


def derive(text: str, name: str, customers: int = CUSTOMERS) -> str:
    """Solomon text of ``customers`` customers sampled from the VRPLIB instance ``text``."""
    head, sec = parse_vrplib(text)
    coords = {int(r[0]): (r[1], r[2]) for r in sec["NODE_COORD_SECTION"]}
    demand = {int(r[0]): r[1] for r in sec["DEMAND_SECTION"]}
    window = {int(r[0]): (r[1], r[2]) for r in sec["TIME_WINDOW_SECTION"]}
    depot = int(sec["DEPOT_SECTION"][0][0])
    service = head["SERVICE_TIME"]
    others = sorted(k for k in coords if k != depot)
    kept = sorted(random.Random(f"gh200:{name}").sample(others, customers))
    rows = []
    for new, old in enumerate([depot, *kept]):
        x, y = coords[old]
        ready, due = window[old]
        svc = "0" if old == depot else service
        rows.append(f"{new:5d} {x:>6} {y:>6} {demand[old]:>6} {ready:>6} {due:>6} {svc:>6}")
    derived = f"{name}-s{customers}"
    return (
        f"{derived}\n\nVEHICLE\nNUMBER     CAPACITY\n  {customers // 4}  {head['CAPACITY']}\n\n"
        "CUSTOMER\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
        + "\n".join(rows)
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="+", help="source instances, e.g. C1_10_1")
    p.add_argument("--source", type=Path, default=Path("/work/.mirror/PyVRP+Instances/repo"))
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data/gh200")
    p.add_argument("--customers", type=int, default=CUSTOMERS)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        text = derive(read_source(args.source, name), name, args.customers)
        (args.out / f"{name}-s{args.customers}.txt").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
