"""Run the demo in-process and pickle every dispatch ``solve`` call, numbered in call order.

Each call writes ``<dir>/NNNN.pkl`` holding ``{"args": (problem, params, time_limit, seed),
"plan": plan}``, so two runs with the same seed (each in its own process and var/ directory)
can be compared call by call, and one call can be replayed in fresh processes.

    GUIFAN_VAR_DIR=/tmp/a/var python -m bench.capture_solves --seed 7 --dir /tmp/a/calls
"""

from __future__ import annotations

import argparse
import itertools
import pickle
from pathlib import Path
from typing import Any

import guifan.optimize.solve as solve_module


def _wrap(folder: Path) -> None:
    real = solve_module.solve
    count = itertools.count()

    def solve(problem: Any, *, params: Any, time_limit: float, seed: int = 0) -> Any:
        plan = real(problem, params=params, time_limit=time_limit, seed=seed)
        blob = {"args": (problem, params, time_limit, seed), "plan": plan}
        (folder / f"{next(count):04d}.pkl").write_bytes(pickle.dumps(blob))
        return plan

    # Before anything imports the name (services and replan do ``from ... import solve``).
    solve_module.solve = solve  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    _wrap(args.dir)
    from guifan.cli.demo import demo

    demo(seed=args.seed, out=args.out or args.dir / "out", orders=300)


if __name__ == "__main__":
    main()
