"""A simulated province day: 2,000 halls x 200 tickets through the hall's calling decision.

Issue 7 point 8. Each hall is its own SimPy environment over one day, 09:00-18:00 in 18
half-hours. Tickets arrive as a Poisson stream per half-hour whose rate follows a two-peak
profile (morning peak ~10:30, a small one at noon, afternoon peak ~15:30; the profile of
``bench/hall_plan.py``), ``--tickets`` expected per hall. Each ticket is star67, star5 or
normal (verified star level, ``MIX``) with exponential service (``SERVICE`` minutes), and
independently vulnerable with probability ``--vulnerable`` (HAL-05: called with the first
class, its wait still measured against its own class's HAL-02 target, as
``ticket_start`` does).

A free counter picks the next class with ``guifan.staffing.policy.call_next``, the function
``guifan.apps.hall.services.ticket_call_next`` uses, on the oldest waiting ticket per calling
class. The open counters per half-hour are the staffing advice: ``plan_build`` on the expected
arrivals (every hall has the same expectation, so one plan), or ``--counters N`` all day. A
counter closing at a half-hour finishes its customer first (HAL-10); tickets still waiting at
18:00 are served by the last half-hour's counters. No abandonment or no-shows.

Reported: wall time, tickets per second, per class (and the vulnerable) the mean, p90 and
p99 wait and the share within the HAL-02 target, the share of halls where every class met the
service level, and HAL-03 peaks (more than 8 waiting per open counter): halls with a peak,
minutes in peak. Writes ``bench/results/province-day-<date>.md``.

Run: .venv/bin/python bench/province_day.py [--halls 2000] [--tickets 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guifan.norms import NormSet  # noqa: E402
from guifan.staffing.csvio import ClassRow, IntervalRows  # noqa: E402
from guifan.staffing.plan import plan_build  # noqa: E402
from guifan.staffing.policy import CLASSES, call_next, targets_from_norms  # noqa: E402

MIX = {"star67": 0.04, "star5": 0.11, "normal": 0.85}
SERVICE = {"star67": 12.0, "star5": 10.0, "normal": 8.0}
SLOTS = 18
SLOT_MIN = 30.0
LEVEL = 0.9


def day_profile(tickets: float) -> np.ndarray:
    """Expected tickets per half-hour from 09:00 (two peaks), summing to ``tickets``."""
    hours = np.arange(SLOTS) / 2 + 9.25
    profile = (
        0.5
        + 1.6 * np.exp(-(((hours - 10.5) / 1.1) ** 2))
        + 0.4 * np.exp(-(((hours - 12.5) / 0.5) ** 2))
        + 1.3 * np.exp(-(((hours - 15.5) / 1.3) ** 2))
    )
    return np.asarray(profile / profile.sum() * tickets)


def start_of(slot: int) -> str:
    return f"{9 + slot // 2:02d}:{30 * (slot % 2):02d}"


def advice(profile: np.ndarray, vulnerable: float, targets: dict[str, float]) -> list[int]:
    """Counters per half-hour from ``plan_build`` on the expected arrivals by calling class."""
    # Calling classes: the vulnerable of every class join star67 with their own service time.
    share = {cls: MIX[cls] * (1 - vulnerable) for cls in CLASSES}
    share["star67"] = MIX["star67"] + sum(MIX[c] * vulnerable for c in ("star5", "normal"))
    load67 = MIX["star67"] * SERVICE["star67"] + sum(
        MIX[c] * vulnerable * SERVICE[c] for c in ("star5", "normal")
    )
    service = {**SERVICE, "star67": load67 / share["star67"]}
    intervals = [
        IntervalRows(
            start_of(i),
            SLOT_MIN,
            tuple(
                ClassRow(3 * i + j + 1, cls, float(n) * share[cls], service[cls])
                for j, cls in enumerate(CLASSES)
            ),
        )
        for i, n in enumerate(profile)
    ]
    return [p.counters for p in plan_build(intervals, targets=targets, service_level=LEVEL)]


@dataclass
class HallDay:
    """One hall's simulated day."""

    waits: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in CLASSES})
    vulnerable_waits: list[float] = field(default_factory=list)
    peak_minutes: float = 0.0
    peak_max: float = 0.0
    tickets: int = 0


def hall_day(
    rng: np.random.Generator,
    *,
    profile: np.ndarray,
    counters: list[int],
    targets: dict[str, float],
    vulnerable: float,
    peak_limit: float,
) -> HallDay:
    """Simulate one hall's day; waits are minutes from ticket to call."""
    out = HallDay()
    arrivals = arrivals_draw(rng, profile, vulnerable)
    out.tickets = len(arrivals)
    env = simpy.Environment()
    queues: dict[str, deque[tuple[float, str, bool, float]]] = {c: deque() for c in CLASSES}
    idle: list[Any] = []
    waiting = [0]
    peak_since: list[float | None] = [None]

    def open_now() -> int:
        return counters[min(int(env.now // SLOT_MIN), SLOTS - 1)]

    def peak_update() -> None:
        ratio = waiting[0] / open_now()
        out.peak_max = max(out.peak_max, ratio)
        if ratio > peak_limit and peak_since[0] is None:
            peak_since[0] = env.now
        elif ratio <= peak_limit and peak_since[0] is not None:
            out.peak_minutes += env.now - peak_since[0]
            peak_since[0] = None

    def wake_all() -> None:
        while idle:
            idle.pop().succeed()

    def source() -> Generator[Any, Any, None]:
        for t, cls, calling, vuln, service in arrivals:
            yield env.timeout(t - env.now)
            queues[calling].append((t, cls, vuln, service))
            waiting[0] += 1
            peak_update()
            wake_all()

    def boundaries() -> Generator[Any, Any, None]:
        for slot in range(1, SLOTS):
            yield env.timeout(slot * SLOT_MIN - env.now)
            peak_update()
            wake_all()

    def counter(k: int) -> Generator[Any, Any, None]:
        while True:
            if k >= open_now():
                if env.now >= SLOTS * SLOT_MIN:
                    return
                yield env.timeout((env.now // SLOT_MIN + 1) * SLOT_MIN - env.now)
                continue
            oldest = {c: (q[0][0] if q else None) for c, q in queues.items()}
            calling = call_next(env.now, oldest, targets)
            if calling is None:
                wake = env.event()
                idle.append(wake)
                yield wake
                continue
            since, cls, vuln, service = queues[calling].popleft()
            waiting[0] -= 1
            peak_update()
            out.waits[cls].append(env.now - since)
            if vuln:
                out.vulnerable_waits.append(env.now - since)
            yield env.timeout(service)

    env.process(source())
    env.process(boundaries())
    for k in range(max(counters)):
        env.process(counter(k))
    env.run()
    if peak_since[0] is not None:
        out.peak_minutes += env.now - peak_since[0]
    return out


def arrivals_draw(
    rng: np.random.Generator, profile: np.ndarray, vulnerable: float
) -> list[tuple[float, str, str, bool, float]]:
    """Sorted (time, class, calling class, vulnerable, service minutes) for one day."""
    counts = rng.poisson(profile)
    times = np.concatenate(
        [rng.uniform(i * SLOT_MIN, (i + 1) * SLOT_MIN, n) for i, n in enumerate(counts)]
    )
    times.sort()
    n = len(times)
    names = np.asarray(CLASSES)
    cls = names[rng.choice(len(CLASSES), size=n, p=[MIX[c] for c in CLASSES])]
    vuln = rng.random(n) < vulnerable
    means = np.asarray([SERVICE[c] for c in cls.tolist()])
    service = rng.exponential(1.0, n) * means
    return [
        (t, c, "star67" if v else c, v, s)
        for t, c, v, s in zip(
            times.tolist(), cls.tolist(), vuln.tolist(), service.tolist(), strict=True
        )
    ]


def province(
    *,
    halls: int,
    tickets: float,
    counters: list[int],
    seed: int,
    vulnerable: float,
    targets: dict[str, float],
    peak_limit: float,
    progress: Callable[[int], None] | None = None,
) -> list[HallDay]:
    profile = day_profile(tickets)
    out = []
    for h in range(halls):
        rng = np.random.default_rng([seed, h])
        out.append(
            hall_day(
                rng,
                profile=profile,
                counters=counters,
                targets=targets,
                vulnerable=vulnerable,
                peak_limit=peak_limit,
            )
        )
        if progress is not None and (h + 1) % 200 == 0:
            progress(h + 1)
    return out


def report(
    args: argparse.Namespace,
    *,
    days: list[HallDay],
    counters: list[int],
    wall: float,
    targets: dict[str, float],
    peak_limit: float,
) -> str:
    total = sum(d.tickets for d in days)
    cmd = (
        f".venv/bin/python bench/province_day.py --halls {args.halls} --tickets {args.tickets:g} "
        f"--vulnerable {args.vulnerable:g} --seed {args.seed}"
        + (f" --counters {args.counters}" if args.counters else "")
    )
    lines = [
        f"# A simulated province day ({dt.date.today()})",
        "",
        f"Command: `{cmd}`",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, one process; "
        "other work ran beside it, so the timing is noisy (±30 % between runs is normal here).",
        "",
        f"**{args.halls} halls, {total} tickets in {wall:.1f} s wall: {total / wall:,.0f} "
        "tickets/s** (arrival generation, SimPy and the calling decision; the plan takes "
        "milliseconds).",
        "",
        "Day: 09:00-18:00, 18 half-hours, two peaks (~10:30 and ~15:30, a small one at noon); "
        f"expected {args.tickets:g} tickets per hall (Poisson). Mix by verified star level: "
        + ", ".join(f"{c} {MIX[c]:.0%} ({SERVICE[c]:g} min service)" for c in CLASSES)
        + f"; {args.vulnerable:.0%} of tickets vulnerable (HAL-05, called as star67, measured "
        "against their own class's target). Service exponential; no abandonment.",
        "",
        "Open counters per half-hour ("
        + ("fixed" if args.counters else f"`plan_build` advice at service level {LEVEL}")
        + "): "
        + ", ".join(f"{start_of(i)} {c}" for i, c in enumerate(counters)),
        "",
        "| class | tickets | mean wait min | p90 min | p99 min | max min | HAL-02 target min "
        "| within target | halls with >= 0.9 within |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in CLASSES:
        w = np.concatenate([np.asarray(d.waits[cls]) for d in days])
        per_hall = [np.mean(np.asarray(d.waits[cls]) <= targets[cls]) for d in days if d.waits[cls]]
        lines.append(
            f"| {cls} | {len(w)} | {w.mean():.2f} | {np.percentile(w, 90):.2f} | "
            f"{np.percentile(w, 99):.2f} | {w.max():.1f} | {targets[cls]:g} | "
            f"{np.mean(w <= targets[cls]):.4f} | "
            f"{np.mean(np.asarray(per_hall) >= LEVEL):.1%} of {len(per_hall)} |"
        )
    v = np.concatenate([np.asarray(d.vulnerable_waits) for d in days])
    lines.append(
        f"| vulnerable (any class) | {len(v)} | {v.mean():.2f} | {np.percentile(v, 90):.2f} | "
        f"{np.percentile(v, 99):.2f} | {v.max():.1f} | own class | – | – |"
    )
    all_met = np.mean(
        [
            all(
                np.mean(np.asarray(d.waits[c]) <= targets[c]) >= LEVEL
                for c in CLASSES
                if d.waits[c]
            )
            for d in days
        ]
    )
    peaks = [d.peak_minutes for d in days if d.peak_minutes > 0]
    peak_max = np.asarray([d.peak_max for d in days])
    lines += [
        "",
        f"Halls where every class had at least {LEVEL} of its tickets called within target over "
        f"the day: **{all_met:.1%}**.",
        "",
        f"HAL-03 peaks (more than {peak_limit:g} waiting per open counter): **{len(peaks)} of "
        f"{len(days)} halls** had one"
        + (
            f", {sum(peaks):.0f} minutes in all (median {np.median(peaks):.1f} per hall with one)"
            if peaks
            else ""
        )
        + f". Largest waiting per open counter seen: median over halls {np.median(peak_max):.2f}, "
        f"p99 {np.percentile(peak_max, 99):.2f}, max {peak_max.max():.2f}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--halls", type=int, default=2000)
    parser.add_argument("--tickets", type=float, default=200.0)
    parser.add_argument("--vulnerable", type=float, default=0.05)
    parser.add_argument("--counters", type=int, default=0, help="Fixed counters (0: advice).")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    norms = NormSet()
    targets = targets_from_norms(norms)
    peak_limit = float(norms.param("HAL-03", "peak_queue_per_open_counter"))
    profile = day_profile(args.tickets)
    counters = (
        [args.counters] * SLOTS if args.counters else advice(profile, args.vulnerable, targets)
    )
    started = time.perf_counter()
    days = province(
        halls=args.halls,
        tickets=args.tickets,
        counters=counters,
        seed=args.seed,
        vulnerable=args.vulnerable,
        targets=targets,
        peak_limit=peak_limit,
        progress=lambda n: print(f"{n} halls, {time.perf_counter() - started:.0f} s", flush=True),
    )
    wall = time.perf_counter() - started
    text = report(
        args, days=days, counters=counters, wall=wall, targets=targets, peak_limit=peak_limit
    )
    suffix = f"-counters{args.counters}" if args.counters else ""
    out = ROOT / "bench" / "results" / f"province-day-{dt.date.today()}{suffix}.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    at = old.find("\n## Notes")  # hand-written notes of an earlier run survive a re-run
    out.write_text(text + "\n" + (old[at:] if at >= 0 else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
