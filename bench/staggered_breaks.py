"""The repeatable plan (``improve=False``) with one lunch rule and with staggered rules.

Technicians with different break rules used to send the repeatable plan to VROOM, which does
not repeat; each rule now has its own twins in PyVRP's encoding. This runs the same synthetic
area days (``tests.pure.optimize.test_repeatable_plan.city_day``) both ways, side by side,
and prints the CPU time, the jobs left out and the verifier's errors:

    python -m bench.staggered_breaks
"""

from __future__ import annotations

import time

from guifan.optimize.solve import solve
from guifan.optimize.verify import verify
from tests.pure.optimize.test_repeatable_plan import LUNCH, PARAMS, STAGGERED, city_day

DAYS = ((6, 16), (12, 60), (20, 120))  # (technicians, jobs)


def main() -> None:
    print("| technicians | jobs | break rules | CPU s | left out | verifier errors |")
    print("|---|---|---|---|---|---|")
    for techs, jobs in DAYS:
        for rules in (LUNCH, STAGGERED):
            problem = city_day(seed=6, techs=techs, jobs=jobs, breaks=rules)
            t0 = time.process_time()
            plan = solve(problem, params=PARAMS, time_limit=1.0, seed=0)
            took = time.process_time() - t0
            errors = verify(problem, plan, PARAMS.timing).errors
            print(
                f"| {techs} | {jobs} | {len(rules)} | {took:.2f} | {len(plan.unassigned)} "
                f"| {len(errors)} |"
            )


if __name__ == "__main__":
    main()
