"""CPU and wall time of ``guifan demo`` for source trees run back to back (before/after).

Each tree (a checkout of the repository) runs ``python -m guifan demo --seed N`` in its own
process with its own var/ folder; the CPU seconds (user + sys of the child, which are less
disturbed than wall time by other work on a shared machine), the wall seconds and the
report's sha256 are printed as a Markdown table.

    python -m bench.demo_cpu --seed 7 --tree before=/tmp/main --tree after=. --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(tree: Path, seed: int, var: Path, out: Path) -> tuple[float, float, float, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"GUIFAN_VAR_DIR": str(var), "GUIFAN_DEMO_PASSWORD": "bench"}
    cmd = [sys.executable, "-m", "guifan", "demo", "--seed", str(seed), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    digest = hashlib.sha256((out / "report.json").read_bytes()).hexdigest()
    return user, system, wall, digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tree", action="append", required=True, help="label=path")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    trees = [(label, Path(path).resolve()) for label, path in (t.split("=", 1) for t in args.tree)]
    print(f"{os.cpu_count()} cores, load before: {os.getloadavg()[0]:.1f}")
    print()
    print("| round | tree | user s | sys s | CPU s | wall s | load after | report.json sha256 |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.rounds + 1):
            for label, tree in trees:
                folder = Path(tmp) / label  # the var/ folder is kept from round to round
                user, system, wall, digest = run(tree, args.seed, folder / "var", folder / "out")
                print(
                    f"| {round_} | {label} | {user:.1f} | {system:.1f} | {user + system:.1f} "
                    f"| {wall:.1f} | {os.getloadavg()[0]:.1f} | `{digest[:16]}…` |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
