"""One large field day solved under CPU burners: does the wall-clock mode keep its limit and
DSP-01 when the machine is loaded? (issue 16)

The same generated day as ``bench.city_day`` (``--jobs``/``--techs``/``--seed``), solved by
``guifan.optimize.solve.solve`` in wall-clock mode while ``--burners`` busy-loop processes
load the cores. Prints one JSON line: wall seconds against the limit, served tier weight, km,
diamond and gold jobs left out, DSP-01 blocking swaps, rule violations.

Before/after a change, run it twice with the same arguments, the package taken from each
checkout (``PYTHONPATH=<checkout>``), and compare the lines:

    python -m bench.solve_load --jobs 2000 --techs 200 --seed 1 --limit 60 --burners 4
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import multiprocessing.synchronize
import os
import sys
import time

import guifan
from bench.city_day import figures, generate
from guifan.norms import NormSet
from guifan.optimize.params import DispatchParams
from guifan.optimize.scenario import parse_scenario
from guifan.optimize.solve import solve


def _burn(stop: multiprocessing.synchronize.Event) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--jobs", type=int, default=2000)
    ap.add_argument("--techs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--burners", type=int, default=4)
    args = ap.parse_args(argv)
    problem = parse_scenario(generate(args.jobs, args.techs, args.seed))
    params = DispatchParams.from_norms(NormSet())
    from guifan.optimize import solve as solve_mod

    vroom: dict[str, object] = {"vroom": "in-process"}
    construct = getattr(solve_mod, "_construct_large", None)
    if construct is not None:  # after the change: did VROOM's child answer, was it late?

        def watched(*a: object, **k: object) -> object:
            t = time.perf_counter()
            first, greedy = construct(*a, **k)  # type: ignore[misc]
            vroom.update(
                vroom="in its share" if greedy is None else "late" if first else "given up",
                construct_s=round(time.perf_counter() - t, 1),
                tier_first_construction_s=None if greedy is None else round(greedy[1], 1),
            )
            return first, greedy

        solve_mod._construct_large = watched  # type: ignore[assignment]
    stop = mp.Event()
    burners = [mp.Process(target=_burn, args=(stop,), daemon=True) for _ in range(args.burners)]
    for p in burners:
        p.start()
    time.sleep(5)  # the burners up to speed before the clock starts
    try:
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        plan = solve(problem, params=params, time_limit=args.limit, seed=args.seed)
        wall = time.perf_counter() - t0
    finally:
        stop.set()
        for p in burners:
            p.join(5)
    row = (
        {
            "package": os.path.dirname(guifan.__file__),
            "jobs": args.jobs,
            "techs": args.techs,
            "seed": args.seed,
            "limit": args.limit,
            "burners": args.burners,
            "loadavg_at_start": round(load, 1),
        }
        | vroom
        | figures(problem, plan, params, wall)
    )
    print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
