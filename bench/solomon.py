"""Solomon VRPTW benchmark: guifan (PyVRP) against VROOM and OR-Tools GLS, side by side.

Every solver gets the same instance, the same wall-clock budget and one thread; the runs of
one instance follow each other so machine noise hits all three alike. Routes are checked with
real Euclidean times (CONTRACTS.md) and scored with each edge truncated to one decimal, the
DIMACS convention of ``bks_distance_dimacs.csv``; ``score.py`` from the shared bench data
re-checks every solution independently.

    python -m bench.solomon --time-limit 10 --seed 1 [--solvers guifan,vroom,ortools]
                            [--instances C101,R101] [--data ../shared/bench-data/solomon]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from guifan.optimize.vrptw import Instance, check, cost, cost_dimacs, format_solution, read_solomon
from guifan.optimize.vrptw_solve import solve_vrptw

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path("/work/shared/bench-data/solomon")
VROOM_TIME = 100  # VROOM wants integer durations: hundredths, rounded up
FIELDS = [
    "instance",
    "solver",
    "seed",
    "time_limit",
    "wall_s",
    "feasible",
    "routes",
    "distance",
    "distance_dimacs",
    "bks_dimacs",
    "gap_dimacs_pct",
    "bks_vehicles",
    "bks_distance",
    "gap_bks_pct",
    "score_py",
    "errors",
]


def run_guifan(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    res = solve_vrptw(inst, time_limit=limit, seed=seed)
    return [list(r) for r in res.routes]


def _tenths(inst: Instance, i: int, j: int) -> int:
    return math.floor(inst.dist(i, j) * 10 + 1e-9)


def run_vroom(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    import numpy as np
    import vroom

    n = len(inst.nodes)
    dur = np.array(
        [[math.ceil(inst.dist(i, j) * VROOM_TIME) for j in range(n)] for i in range(n)],
        dtype=np.uint32,
    )
    costs = np.array([[_tenths(inst, i, j) for j in range(n)] for i in range(n)], dtype=np.uint32)
    problem = vroom.Input()
    problem.set_durations_matrix("car", dur)
    problem.set_costs_matrix("car", costs)
    d = inst.nodes[0]
    tw = vroom.TimeWindow(int(d.ready * VROOM_TIME), int(d.due * VROOM_TIME))
    for v in range(inst.vehicles):
        problem.add_vehicle(
            vroom.Vehicle(v + 1, start=0, end=0, capacity=[inst.capacity], time_window=tw)
        )
    for c in inst.nodes[1:]:
        problem.add_job(
            vroom.Job(
                c.id,
                location=c.id,
                default_service=math.ceil(c.service * VROOM_TIME),
                delivery=vroom.Amount([c.demand]),
                time_windows=[
                    vroom.TimeWindow(math.ceil(c.ready * VROOM_TIME), int(c.due * VROOM_TIME))
                ],
            )
        )
    sol = problem.solve(exploration_level=5, nb_threads=1, timeout=dt.timedelta(seconds=limit))
    arr = np.asarray(sol._routes_numpy())
    routes: dict[int, list[int]] = {}
    for row in arr:
        if bytes(row["type"]).decode().strip() == "job":
            routes.setdefault(int(row["vehicle_id"]), []).append(int(row["id"]))
    return list(routes.values())


def run_ortools(inst: Instance, limit: float, seed: int) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n, scale = len(inst.nodes), 100
    mgr = pywrapcp.RoutingIndexManager(n, inst.vehicles, 0)
    rt = pywrapcp.RoutingModel(mgr)
    dist = [[_tenths(inst, i, j) for j in range(n)] for i in range(n)]
    tm = [
        [
            math.ceil(inst.dist(i, j) * scale) + math.ceil(inst.nodes[i].service * scale)
            for j in range(n)
        ]
        for i in range(n)
    ]
    dcb = rt.RegisterTransitCallback(lambda a, b: dist[mgr.IndexToNode(a)][mgr.IndexToNode(b)])
    rt.SetArcCostEvaluatorOfAllVehicles(dcb)
    tcb = rt.RegisterTransitCallback(lambda a, b: tm[mgr.IndexToNode(a)][mgr.IndexToNode(b)])
    horizon = int(inst.nodes[0].due * scale)
    rt.AddDimension(tcb, horizon, horizon, False, "Time")
    time_dim = rt.GetDimensionOrDie("Time")
    for c in inst.nodes[1:]:
        time_dim.CumulVar(mgr.NodeToIndex(c.id)).SetRange(
            math.ceil(c.ready * scale), int(c.due * scale)
        )
    dem = rt.RegisterUnaryTransitCallback(lambda a: inst.nodes[mgr.IndexToNode(a)].demand)
    rt.AddDimensionWithVehicleCapacity(dem, 0, [inst.capacity] * inst.vehicles, True, "Load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(limit * 1000))
    sol = rt.SolveWithParameters(params)
    if sol is None:
        return []
    routes = []
    for v in range(inst.vehicles):
        idx, route = rt.Start(v), []
        idx = sol.Value(rt.NextVar(idx))
        while not rt.IsEnd(idx):
            route.append(mgr.IndexToNode(idx))
            idx = sol.Value(rt.NextVar(idx))
        if route:
            routes.append(route)
    return routes


SOLVERS = {"guifan": run_guifan, "vroom": run_vroom, "ortools": run_ortools}


def load_score_py(data: Path) -> Any:
    spec = importlib.util.spec_from_file_location("solomon_score", data / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bks(data: Path) -> tuple[dict[str, float], dict[str, tuple[int, float]]]:
    with open(data / "bks_distance_dimacs.csv", encoding="utf-8") as fh:
        dimacs = {r["instance"]: float(r["distance"]) for r in csv.DictReader(fh)}
    with open(data / "bks.csv", encoding="utf-8") as fh:
        classic = {
            r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(fh)
        }
    return dimacs, classic


def run_one(
    name: str, solver: str, args: argparse.Namespace, ctx: dict[str, Any]
) -> dict[str, Any]:
    path = args.data / "instances" / f"{name}.txt"
    inst = read_solomon(path)
    t0 = time.perf_counter()
    routes = SOLVERS[solver](inst, args.time_limit, args.seed)
    wall = time.perf_counter() - t0
    errors = check(inst, routes)
    sol_dir = ctx["sol_dir"] / solver
    sol_dir.mkdir(parents=True, exist_ok=True)
    (sol_dir / f"{name}.sol").write_text(format_solution(inst, routes), encoding="utf-8")
    score = ctx["score"]
    independent = score.score(score.read_instance(str(path)), routes, None)
    dimacs = cost_dimacs(inst, routes)
    ref_d = ctx["dimacs"][name]
    veh, ref = ctx["classic"][name]
    return {
        "instance": name,
        "solver": solver,
        "seed": args.seed,
        "time_limit": args.time_limit,
        "wall_s": f"{wall:.2f}",
        "feasible": not errors,
        "routes": len(routes),
        "distance": f"{cost(inst, routes):.4f}",
        "distance_dimacs": f"{dimacs:.1f}",
        "bks_dimacs": ref_d,
        "gap_dimacs_pct": f"{100 * (dimacs - ref_d) / ref_d:.4f}",
        "bks_vehicles": veh,
        "bks_distance": ref,
        "gap_bks_pct": f"{100 * (cost(inst, routes) - ref) / ref:.4f}",
        "score_py": "feasible" if independent["feasible"] else "INFEASIBLE",
        "errors": "; ".join(errors)[:300],
    }


def summary(rows: list[dict[str, Any]], solvers: list[str]) -> str:
    lines = [
        "| solver | instances | feasible | mean gap to DIMACS optimum % | max gap % "
        "| mean gap to classic BKS % | mean routes | mean wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in solvers:
        rs = [r for r in rows if r["solver"] == s]
        feas = [r for r in rs if r["feasible"] and r["score_py"] == "feasible"]
        if not rs:
            continue
        g = [float(r["gap_dimacs_pct"]) for r in feas] or [math.nan]
        gb = [float(r["gap_bks_pct"]) for r in feas] or [math.nan]
        lines.append(
            f"| {s} | {len(rs)} | {len(feas)} | {sum(g) / len(g):.3f} | {max(g):.3f} "
            f"| {sum(gb) / len(gb):.3f} | {sum(r['routes'] for r in rs) / len(rs):.1f} "
            f"| {sum(float(r['wall_s']) for r in rs) / len(rs):.2f} |"
        )
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
    p.add_argument("--time-limit", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--solvers", default="guifan,vroom,ortools")
    p.add_argument("--instances", default="", help="comma-separated names (default: all 56)")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--out", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    solvers = args.solvers.split(",")
    names = (
        args.instances.split(",")
        if args.instances
        else sorted(f.stem for f in (args.data / "instances").glob("*.txt"))
    )
    dimacs, classic = bks(args.data)
    stamp = dt.datetime.now(tz=dt.UTC).date().isoformat()
    csv_path = args.out / f"solomon-{stamp}.csv"
    ctx = {
        "dimacs": dimacs,
        "classic": classic,
        "score": load_score_py(args.data),
        "sol_dir": args.out / f"solomon-{stamp}-solutions",
    }
    rows: list[dict[str, Any]] = []
    sha = git_sha()  # the code that runs, not the code at the end
    args.out.mkdir(parents=True, exist_ok=True)
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        for name in names:
            for solver in solvers:
                row = run_one(name, solver, args, ctx)
                rows.append(row)
                w.writerow(row)
                fh.flush()
                print(
                    f"{name} {solver}: feasible={row['feasible']} routes={row['routes']} "
                    f"dimacs={row['distance_dimacs']} gap={row['gap_dimacs_pct']}% "
                    f"wall={row['wall_s']}s",
                    flush=True,
                )
    cmd = "python -m bench.solomon " + " ".join(argv if argv is not None else sys.argv[1:])
    md = (
        f"# Solomon VRPTW, {stamp}\n\nCommand: `{cmd}` (commit {sha}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"one thread per solver, seed {args.seed}, {args.time_limit:g} s per run)\n\n"
        f"{summary(rows, solvers)}\nRaw rows: `{csv_path.name}`.\n"
    )
    (args.out / f"solomon-{stamp}.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
