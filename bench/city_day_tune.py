"""Tuning runs of the wall-clock dispatch solver on city days (issue 16: tune on a set of
days, report on another). One JSON line per day: tier weight, km, wall time, rule errors.

    python -m bench.city_day_tune --variant rounds --set MAX_ROUNDS=5 --size 200 --seeds 11,12
    python -m bench.city_day_tune --variant x0 --set MAX_ROUNDS=5 --exploration 0 --size 2000
    python -m bench.city_day_tune --variant reference --size 200 --seeds 11,12,13,14

``--set NAME=VALUE`` overrides a module constant of ``guifan.optimize.solve`` (or
``IMPROVE_NEIGHBOURS`` of ``pyvrp_dispatch``) for the run; ``--variant reference`` runs
``bench.city_day.reference`` instead of guifan. The days are ``bench.city_day.COMPARE_DAYS``
of the given size (overloaded and normal).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.city_day import COMPARE_DAYS, generate, reference
from guifan.norms import NormSet
from guifan.optimize import pyvrp_dispatch
from guifan.optimize import solve as solve_mod
from guifan.optimize.params import DispatchParams
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.verify import verify


def _value(text: str) -> object:
    if text == "None":
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--variant", required=True)
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--exploration", type=int, default=None, help="VROOM level (default by size)")
    p.add_argument("--size", type=int, choices=(200, 2000), required=True)
    p.add_argument("--seeds", default="11,12,13,14")
    a = p.parse_args(argv)
    for item in a.set:
        name, _, value = item.partition("=")
        mod = pyvrp_dispatch if name == "IMPROVE_NEIGHBOURS" else solve_mod
        if not hasattr(mod, name):
            p.error(f"unknown constant {name}")
        setattr(mod, name, _value(value))
    params = DispatchParams.from_norms(NormSet(), exploration=a.exploration)
    label = " ".join(
        [a.variant, *a.set] + ([f"x{a.exploration}"] if a.exploration is not None else [])
    )
    for seed in (int(s) for s in a.seeds.split(",")):
        for day, n_jobs, n_techs, limit in COMPARE_DAYS:
            if n_jobs != a.size:
                continue
            problem = parse_scenario(generate(n_jobs, n_techs, seed))
            t0 = time.perf_counter()
            if a.variant == "reference":
                plan = reference(problem, params, limit)
            else:
                plan = solve_mod.solve(problem, params=params, time_limit=limit, seed=seed)
            wall = time.perf_counter() - t0
            weight, neg_km = solve_mod._score(plan, problem, params)
            row = {
                "variant": label,
                "day": day,
                "seed": seed,
                "wall": round(wall, 1),
                "weight": weight,
                "km": round(-neg_km, 1),
                "errors": len(verify(problem, plan, params.timing).errors),
            }
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
