"""Replay calls captured by ``bench.capture_solves`` in fresh processes; print the calls whose
plan differs between processes or between repeats within one process.

    python -m bench.replay_solves /tmp/a/calls --processes 10 --repeat 5 [--only 0079]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

CHILD = """
import hashlib, pickle, sys
from pathlib import Path
from guifan.optimize.solve import solve
repeat = int(sys.argv[1])
for name in sys.argv[2:]:
    problem, params, time_limit, seed = pickle.loads(Path(name).read_bytes())["args"]
    for _ in range(repeat):
        plan = solve(problem, params=params, time_limit=time_limit, seed=seed)
        print(Path(name).stem, hashlib.sha256(repr(plan).encode()).hexdigest()[:16])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.pkl"))
    if args.only:
        files = [f for f in files if f.stem in args.only]
    seen: dict[str, set[str]] = {f.stem: set() for f in files}
    for _ in range(args.processes):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.repeat), *map(str, files)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            stem, digest = line.split()
            seen[stem].add(digest)
    varied = sorted(k for k, v in seen.items() if len(v) > 1)
    runs = args.processes * args.repeat
    print(f"{len(files)} calls x {args.processes} processes x {args.repeat} repeats ({runs} each):")
    print(f"  {len(varied)} calls gave more than one plan {varied}")


if __name__ == "__main__":
    main()
