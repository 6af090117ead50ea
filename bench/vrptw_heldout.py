"""VRPTW tuning / held-out benchmark: guifan against plain PyVRP in the same run.

Each instance is solved by every configuration one after the other (the order alternates
from one instance to the next), same seed, same wall-clock limit, one thread, so machine
noise hits them alike; only ratios within one run are compared. The measure is the real
Euclidean distance (what ``Cost`` reports); the DIMACS distance (edges truncated to a
tenth) against a best-known solution is reported only as a score, where one is known.

Configurations:
- ``guifan``: ``solve_vrptw`` as shipped (deadline counts model building);
- ``nb20`` / ``nb35``: ``solve_vrptw`` with 20 (ADR 0005's in-sample choice) or 35 granular
  neighbours (PyVRP's default is 50);
- ``plain``: plain PyVRP, ``pyvrp.solve`` with its default parameters and
  ``MaxRuntime(limit)`` (which starts after PyVRP's set-up), on the same model (distance and
  times in thousandths, times rounded up) so routes are checked alike;
- ``adr0005``: the former ``solve_vrptw`` (objective in DIMACS tenths, 20 neighbours).

Sets (ADR 0032): ``tune`` = every third Solomon instance (19 of 56) + 200-customer
instances derived from Gehring–Homberger ``*_10_1`` and ``*_10_2`` (12);
``test`` = derived from ``*_10_6`` .. ``*_10_9`` (24) + the six ``*_10_10`` 1000-customer
instances when ``--gh1000`` points at them (``python -m bench.gh_derive --customers 1000``).

    python -m bench.vrptw_heldout --set tune --configs guifan,nb20,plain --time-limit 10
    python -m bench.vrptw_heldout --set test --configs guifan,plain --time-limit 10 \\
        --gh1000 /tmp/gh1000
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guifan.optimize.deadline import Deadline
from guifan.optimize.vrptw import Instance, check, cost, cost_dimacs, read_solomon, unservable
from guifan.optimize.vrptw_solve import problem_data, solve_params, solve_vrptw

HERE = Path(__file__).resolve().parent
SOLOMON = Path("/work/shared/bench-data/solomon")
GH200 = HERE / "data" / "gh200"
GH_REPO = Path("/work/.mirror/PyVRP+Instances/repo")
FAMILIES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
STAMP = "2026-12-06"


def run_guifan(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    return [list(r) for r in solve_vrptw(inst, time_limit=limit, seed=seed).routes]


def run_nb(k: int) -> Callable[[Instance, float, int], list[list[int]]]:
    def run(inst: Instance, limit: float, seed: int) -> list[list[int]]:
        res = solve_vrptw(inst, time_limit=limit, seed=seed, num_neighbours=k)
        return [list(r) for r in res.routes]

    return run


def run_plain(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    from pyvrp import solve
    from pyvrp.stop import MaxRuntime

    excused = {u.customer for u in unservable(inst)}
    served = [c.id for c in inst.nodes[1:] if c.id not in excused]
    res = solve(problem_data(inst, served), stop=MaxRuntime(limit), seed=seed, collect_stats=False)
    return [[served[a.idx] for a in r if a.is_client()] for r in res.best.routes()]


def run_adr0005(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    """The former ``solve_vrptw``: DIMACS tenths (truncated) as objective, 20 neighbours."""
    import numpy as np
    from pyvrp import solve

    started = time.perf_counter()
    excused = {u.customer for u in unservable(inst)}
    served = [c.id for c in inst.nodes[1:] if c.id not in excused]
    data = problem_data(inst, served)
    xy = np.array([(inst.nodes[i].x, inst.nodes[i].y) for i in (0, *served)])
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    tenths = np.floor(dist * 10 + 1e-9).astype(np.int64)
    res = solve(
        data.replace(distance_matrices=[tenths]),
        stop=Deadline(started + limit),
        seed=seed,
        collect_stats=False,
        params=solve_params(20),
    )
    return [[served[a.idx] for a in r if a.is_client()] for r in res.best.routes()]


CONFIGS: dict[str, Callable[[Instance, float, int], list[list[int]]]] = {
    "guifan": run_guifan,
    "nb20": run_nb(20),
    "nb35": run_nb(35),
    "plain": run_plain,
    "adr0005": run_adr0005,
}


def family(name: str) -> str:
    m = re.match(r"(RC|R|C)(\d)", name)
    return f"{m.group(1)}{m.group(2)}" if m else "?"


def solomon_bks() -> dict[str, float]:
    with open(SOLOMON / "bks_distance_dimacs.csv", encoding="utf-8") as fh:
        return {r["instance"]: float(r["distance"]) for r in csv.DictReader(fh)}


def gh_bks(source: str) -> float | None:
    """DIMACS cost of the published best-known solution of a GH 1000 instance."""
    try:
        text = subprocess.run(
            ["git", "-C", str(GH_REPO), "show", f"HEAD:VRPTW/{source}.sol"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"^Cost\s+([\d.]+)", text, re.M)
    return float(m.group(1)) if m else None


def instance_set(which: str, gh1000: Path | None) -> list[tuple[str, Path, float | None]]:
    """(set label, file, DIMACS BKS or None) for each instance of the set."""
    out: list[tuple[str, Path, float | None]] = []
    if which == "tune":
        bks = solomon_bks()
        names = sorted(p.stem for p in (SOLOMON / "instances").glob("*.txt"))[::3]
        out += [("solomon", SOLOMON / "instances" / f"{n}.txt", bks[n]) for n in names]
        picks = (1, 2)
    else:
        picks = (6, 7, 8, 9)
    out += [("gh200", GH200 / f"{f}_10_{i}-s200.txt", None) for f in FAMILIES for i in picks]
    if which == "test" and gh1000 is not None:
        out += [("gh1000", gh1000 / f"{f}_10_10-s1000.txt", gh_bks(f"{f}_10_10")) for f in FAMILIES]
    return out


def solve_row(
    label: str, path: Path, bks: float | None, config: str, args: argparse.Namespace
) -> dict[str, Any]:
    inst = read_solomon(path)
    t0 = time.perf_counter()
    routes = CONFIGS[config](inst, args.time_limit, args.seed)
    wall = time.perf_counter() - t0
    errors = check(inst, routes, frozenset(u.customer for u in unservable(inst)))
    dimacs = cost_dimacs(inst, routes)
    return {
        "set": label,
        "instance": inst.name,
        "family": family(inst.name),
        "config": config,
        "wall_s": round(wall, 2),
        "feasible": not errors,
        "routes": sum(1 for r in routes if r),
        "distance": round(cost(inst, routes), 4),
        "distance_dimacs": round(dimacs, 1),
        "gap_dimacs_pct": round(100 * (dimacs - bks) / bks, 4) if bks else "",
    }


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else math.nan


def summary(rows: list[dict[str, Any]], configs: list[str], base: str) -> str:
    """Per (set, family): mean relative difference in real distance against ``base``."""
    by: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((r["set"], r["instance"]), {})[r["config"]] = r
    others = [c for c in configs if c != base]
    head = "| set | family | n |"
    for c in others:
        head += f" {c} vs {base}: mean Δ real distance % | better / equal / worse |"
    for c in configs:
        head += f" {c}: mean DIMACS gap % |"
    lines = [head, "|---|---|---:|" + "---:|---|" * len(others) + "---:|" * len(configs)]
    groups: dict[tuple[str, str], list[dict[str, dict[str, Any]]]] = {}
    for (label, _), runs in sorted(by.items()):
        fam = next(iter(runs.values()))["family"]
        groups.setdefault((label, fam), []).append(runs)
        groups.setdefault((label, "all"), []).append(runs)
        groups.setdefault(("all", "all"), []).append(runs)
    order = sorted(groups, key=lambda k: (k[0] == "all", k[0], k[1] == "all", k[1]))
    for label, fam in order:
        items = groups[(label, fam)]
        ok = [x for x in items if all(c in x and x[c]["feasible"] for c in configs)]
        line = f"| {label} | {fam} | {len(ok)}/{len(items)} |"
        for c in others:
            d = [100 * (x[c]["distance"] - x[base]["distance"]) / x[base]["distance"] for x in ok]
            b = sum(1 for v in d if v < -1e-6)
            w = sum(1 for v in d if v > 1e-6)
            line += f" {_mean(d):+.3f} | {b} / {len(d) - b - w} / {w} |"
        for c in configs:
            g = [float(x[c]["gap_dimacs_pct"]) for x in ok if x[c]["gap_dimacs_pct"] != ""]
            line += f" {_mean(g):.3f} |" if g else " – |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def git_sha() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            cwd=HERE,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", choices=("tune", "test"), required=True)
    p.add_argument("--configs", default="guifan,plain")
    p.add_argument("--base", default="plain")
    p.add_argument("--time-limit", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--gh1000", type=Path, default=None)
    p.add_argument("--limit", type=int, default=0, help="first N instances only (smoke runs)")
    p.add_argument("--out", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    configs = args.configs.split(",")
    items = instance_set(args.set, args.gh1000)
    if args.limit:
        items = items[: args.limit]
    stem = "vrptw-heldout" if args.set == "test" else "vrptw-tuning"
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = args.out / f"{stem}-{STAMP}.csv"
    sha = git_sha()
    rows: list[dict[str, Any]] = []
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w: csv.DictWriter[str] | None = None
        for k, (label, path, bks) in enumerate(items):
            order = configs if k % 2 == 0 else configs[::-1]
            for config in order:
                row = solve_row(label, path, bks, config, args)
                rows.append(row)
                if w is None:
                    w = csv.DictWriter(fh, fieldnames=list(row))
                    w.writeheader()
                w.writerow(row)
                fh.flush()
                print(
                    f"{label} {row['instance']} {config}: feasible={row['feasible']} "
                    f"routes={row['routes']} dist={row['distance']} wall={row['wall_s']}s",
                    flush=True,
                )
    cmd = f"python -m bench.vrptw_heldout {' '.join(argv if argv is not None else sys.argv[1:])}"
    md = (
        f"# VRPTW {args.set} set, {STAMP}\n\nCommand: `{cmd}` (commit {sha}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores shared with "
        f"other work, one thread, seed {args.seed}, {args.time_limit:g} s per run, order "
        f"alternating per instance)\n\nΔ = (config − {args.base}) / {args.base} on the real "
        "Euclidean distance, per instance, then averaged; negative is better. DIMACS gap "
        "(edges truncated to a tenth) against the best-known solution only where one is "
        "known (Solomon, GH 1000), as a score.\n\n"
        f"{summary(rows, configs, args.base)}\nRaw rows: `{csv_path.name}`.\n"
    )
    (args.out / f"{stem}-{STAMP}.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
