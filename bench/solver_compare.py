"""VROOM vs. PyVRP-from-scratch (work budget) on calls captured by ``bench.capture_solves``.

python -m bench.solver_compare /tmp/a/calls --iterations 2000
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from guifan.optimize import pyvrp_dispatch
from guifan.optimize import solve as S


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    tot = {"vroom": [0, 0.0, 0, 0.0], "pyvrp": [0, 0.0, 0, 0.0]}
    for f in sorted(args.folder.glob("*.pkl")):
        problem, params, _tl, seed = pickle.loads(f.read_bytes())["args"]
        todo = [j for j in problem.jobs if S.unreachable_reason(problem, j, params.timing) is None]
        if not todo or not problem.technicians:
            continue
        t0 = time.perf_counter()
        v = S._plan(problem, todo, S._run_vroom(problem, todo, params, deadline=1e18), params, [])
        t1 = time.perf_counter()
        raw = pyvrp_dispatch.search(problem, todo, params, iterations=args.iterations, seed=seed)
        t2 = time.perf_counter()
        p = S._plan(problem, todo, raw, params, []) if raw is not None else None
        for name, plan, secs in (("vroom", v, t1 - t0), ("pyvrp", p, t2 - t1)):
            if plan is None:
                print(f.stem, name, "infeasible")
                continue
            w, negkm = S._score(plan, problem, params)
            acc = tot[name]
            acc[0] += w
            acc[1] += -negkm
            acc[2] += len(plan.unassigned)
            acc[3] += secs
        print(f.stem, len(todo), S._score(v, problem, params), p and S._score(p, problem, params))
    for name, (w, km, un, secs) in tot.items():
        print(f"{name}: weight {w}, km {km:.1f}, unassigned {un}, seconds {secs:.1f}")


if __name__ == "__main__":
    main()
