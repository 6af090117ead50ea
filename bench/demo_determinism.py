"""Same seed, same day on a loaded machine: the demo's report.json, quiet vs. CPU-burned.

Runs ``guifan demo --seed N`` once with the machine as it is, then again while busy-loop
processes (two per core by default) load every core, and compares the two report.json files
byte for byte. Each run uses its own var/ directory. Records the result in
``bench/results/demo-determinism-<date>.md``.

    python -m bench.demo_determinism --seed 7 [--burners 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIFAN = Path(sys.executable).parent / "guifan"


def _burn(stop: mp.synchronize.Event) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def _run(seed: int, work: Path) -> tuple[str, float]:
    env = {**os.environ, "GUIFAN_VAR_DIR": str(work / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    subprocess.run(
        [str(GUIFAN), "demo", "--seed", str(seed), "--out", str(work / "out")],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    digest = hashlib.sha256((work / "out" / "report.json").read_bytes()).hexdigest()
    return digest, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--burners", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        quiet, quiet_s = _run(args.seed, Path(tmp) / "quiet")
        stop = mp.Event()
        burners = [mp.Process(target=_burn, args=(stop,)) for _ in range(args.burners)]
        for p in burners:
            p.start()
        try:
            loaded, loaded_s = _run(args.seed, Path(tmp) / "loaded")
        finally:
            stop.set()
            for p in burners:
                p.join()
    same = quiet == loaded
    today = dt.date.today().isoformat()
    lines = [
        f"# The demo's report under load ({today}, {os.cpu_count()} cores)",
        "",
        f"Command: `python -m bench.demo_determinism --seed {args.seed} --burners {args.burners}`",
        "",
        "| run | report.json sha256 | wall seconds |",
        "|---|---|---|",
        f"| quiet | `{quiet[:16]}…` | {quiet_s:.1f} |",
        f"| {args.burners} busy-loop processes on the {os.cpu_count()} cores | `{loaded[:16]}…` | {loaded_s:.1f} |",
        "",
        f"Byte-identical: **{'yes' if same else 'NO'}** (slow-down ×{loaded_s / quiet_s:.1f}).",
        "",
    ]
    out = ROOT / "bench" / "results" / f"demo-determinism-{today}.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
