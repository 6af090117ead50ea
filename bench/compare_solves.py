"""Compare two folders written by ``bench.capture_solves``: the first call whose inputs differ,
or whose equal inputs gave different plans.

    python -m bench.compare_solves /tmp/a/calls /tmp/b/calls
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path
from typing import Any


def inputs_key(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Everything the solver reads, as comparable values (the matrices byte for byte)."""
    problem, params, _time_limit, seed = args
    tr = problem.travel
    return (
        problem.date,
        problem.technicians,
        problem.jobs,
        tr.locations,
        tr.minutes.tobytes(),
        tr.km.tobytes(),
        params,
        seed,
    )


def _load(path: Path) -> dict[str, Any]:
    blob: dict[str, Any] = pickle.loads(path.read_bytes())
    return blob


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args()
    a = sorted(args.a.glob("*.pkl"))
    b = sorted(args.b.glob("*.pkl"))
    print(f"calls: {len(a)} vs {len(b)}")
    same_in_diff_out = []
    for pa, pb in zip(a, b, strict=False):
        x, y = _load(pa), _load(pb)
        if inputs_key(x["args"]) != inputs_key(y["args"]):
            print(f"{pa.name}: inputs differ")
            for i, (u, v) in enumerate(
                zip(inputs_key(x["args"]), inputs_key(y["args"]), strict=True)
            ):
                if u != v:
                    print(f"  field {i} differs")
            break
        if x["plan"] != y["plan"]:
            same_in_diff_out.append(pa.name)
            print(f"{pa.name}: same inputs, different plans")
    print(f"same inputs, different plans: {len(same_in_diff_out)}")


if __name__ == "__main__":
    main()
