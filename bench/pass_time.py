"""CPU time of the DSP-01 pass (``tier_repair.repair_proved``) on VROOM plans of city days.

VROOM's plan is not repeatable (ADR 0018), so it is computed once and kept in ``--plans``;
a later run (of another tree, for a before/after pair) times the pass on the same plans:

    python -m bench.pass_time --plans /tmp/plans          # computes and keeps the plans
    PYTHONPATH=/tmp/before python -m bench.pass_time --plans /tmp/plans   # same plans
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.city_day import generate
from guifan.norms import NormSet
from guifan.optimize import solve as solve_mod
from guifan.optimize.params import DispatchParams
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.tier_repair import repair_proved

DAYS = (("2,000 normal", 2000, 300), ("2,000 overloaded", 2000, 200))
VROOM_SECONDS = 21.0  # 35 % of 60 s: the plan the pass met before 2026-12-07 (b)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--plans", type=Path, required=True, help="folder keeping VROOM's plans")
    p.add_argument("--seeds", default="11,12")
    a = p.parse_args(argv)
    a.plans.mkdir(parents=True, exist_ok=True)
    params = DispatchParams.from_norms(NormSet(), exploration=1)
    for seed in (int(s) for s in a.seeds.split(",")):
        for day, n_jobs, n_techs in DAYS:
            problem = parse_scenario(generate(n_jobs, n_techs, seed))
            todo, unassigned = solve_mod.reachable(problem, params.timing)
            kept = a.plans / f"vroom-{seed}-{n_jobs}-{n_techs}.json"
            if not kept.exists():
                deadline = time.perf_counter() + VROOM_SECONDS
                kept.write_text(
                    json.dumps(solve_mod._run_vroom(problem, todo, params, deadline=deadline))
                )
            raw = [(seq, brk) for seq, brk in json.loads(kept.read_text())]
            plan = solve_mod._plan(problem, todo, raw, params, unassigned)
            t0 = time.process_time()
            fixed, proved = repair_proved(problem, plan, params)
            cpu = time.process_time() - t0
            before, _ = solve_mod._score(plan, problem, params)
            weight, neg_km = solve_mod._score(fixed, problem, params)
            row = {"day": day, "seed": seed, "pass_cpu_s": round(cpu, 1), "weight_before": before}
            row |= {"weight": weight, "km": round(-neg_km, 1), "proved": proved}
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
