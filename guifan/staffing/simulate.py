"""Discrete-event simulation (SimPy) of one interval's steady state under the calling policy.

Each class arrives as its own Poisson stream with exponential service times (own random
streams per class, so runs at different counter counts share arrivals and services: common
random numbers). ``c`` counters each loop: ask :func:`guifan.staffing.policy.call_next` whom
to call, serve, repeat; an idle counter sleeps until a ticket is issued. The run lasts until
about ``customers`` tickets were issued after a warm-up of ``warmup`` tickets, both lengthened
near saturation (at least 5 and 40 relaxation times) and so that every class with arrivals has
about ``min_per_class`` measured tickets, up to ``max_customers``; every measured ticket is
followed until its service starts. Shares and means are over measured tickets.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guifan.staffing.policy import Policy, call_next

if TYPE_CHECKING:
    from guifan.staffing.erlang import ClassLoad

_BATCHES = 10


@dataclass(frozen=True, slots=True)
class SimClass:
    """Simulated waiting of one class.

    Parameters
    ----------
    name
        Class name.
    served
        Measured tickets (issued after the warm-up, before the end).
    mean_wait
        Mean wait in minutes (``nan`` without tickets).
    within_target
        Share whose service started within the target (``nan`` without tickets).
    within_target_se
        Standard error of ``within_target`` from ten batch means over time (``nan`` without
        tickets).
    """

    name: str
    served: int
    mean_wait: float
    within_target: float
    within_target_se: float


@dataclass(frozen=True, slots=True)
class SimResult:
    """One simulation run: per-class results in the order of the input classes."""

    counters: int
    classes: tuple[SimClass, ...]
    seed: int

    def by_name(self) -> dict[str, SimClass]:
        """The classes keyed by name."""
        return {k.name: k for k in self.classes}


def simulate(
    classes: Sequence[ClassLoad],
    counters: int,
    *,
    seed: int = 0,
    policy: Policy = "slack",
    customers: int = 20_000,
    warmup: int = 2_000,
    min_per_class: int = 2_000,
    max_customers: int = 400_000,
) -> SimResult:
    """Simulate ``counters`` counters serving ``classes`` under ``policy``.

    Parameters
    ----------
    classes
        Rates, services and targets per class (``guifan.staffing.erlang.ClassLoad``).
    counters
        Number of counters, ``>= 1``; the offered load must be below it.
    seed
        Seed of the random streams; the same inputs and seed give the same result.
    policy
        Calling policy (``guifan.staffing.policy``).
    customers
        Expected measured tickets over all classes.
    warmup
        Expected tickets issued before measuring starts.
    min_per_class
        Lengthen the run so that each class with arrivals expects this many measured tickets.
    max_customers
        Cap on the expected measured tickets, whatever the lengthening asks.

    Returns
    -------
    SimResult
        Per class: measured tickets, mean wait, share within target and its standard error.
    """
    import numpy as np
    import simpy

    total_rate = sum(k.rate for k in classes)
    offered = sum(k.load for k in classes)
    if counters < 1 or offered >= counters:
        raise ValueError(f"offered load {offered:.3f} needs more than {counters} counters")
    if total_rate <= 0:
        empty = tuple(SimClass(k.name, 0, math.nan, math.nan, math.nan) for k in classes)
        return SimResult(counters, empty, seed)
    # Near saturation the queue forgets its start slowly: its relaxation time is about
    # 1 / (c mu (1 - sqrt(rho))^2) (Morse). Warm up for 5 and measure for 40 of them at least.
    rho = offered / counters
    relax = offered / total_rate / (counters * (1.0 - math.sqrt(rho)) ** 2)
    rarest = min(k.rate for k in classes if k.rate > 0)
    horizon = max(customers / total_rate, min_per_class / rarest, 40 * relax)
    horizon = min(horizon, max_customers / total_rate)
    start = max(warmup / total_rate, 5 * relax)
    end = start + horizon

    env = simpy.Environment()
    streams = np.random.SeedSequence(seed).spawn(len(classes))
    targets = {k.name: k.target for k in classes}
    queues: dict[str, deque[tuple[float, float]]] = {k.name: deque() for k in classes}
    idle: list[Any] = []  # simpy events of sleeping counters
    waits: dict[str, list[tuple[float, float]]] = {k.name: [] for k in classes}
    pending = [0]  # measured tickets not yet called
    done = env.event()

    def arrivals(k: ClassLoad, rng: np.random.Generator) -> Generator[Any, Any, None]:
        while True:
            gaps = rng.exponential(1.0 / k.rate, 1024)
            services = rng.exponential(k.service, 1024)
            for gap, service in zip(gaps.tolist(), services.tolist(), strict=True):
                yield env.timeout(gap)
                queues[k.name].append((env.now, service))
                if start <= env.now < end:
                    pending[0] += 1
                if idle:
                    idle.pop().succeed()

    def counter() -> Generator[Any, Any, None]:
        while True:
            now = env.now
            oldest = {n: (q[0][0] if q else None) for n, q in queues.items()}
            cls = call_next(now, oldest, targets, policy)
            if cls is None:
                wake = env.event()
                idle.append(wake)
                yield wake
                continue
            since, service = queues[cls].popleft()
            if start <= since < end:
                waits[cls].append((since, now - since))
                pending[0] -= 1
                if pending[0] == 0 and now >= end and not done.triggered:
                    done.succeed()
            yield env.timeout(service)

    for k, stream in zip(classes, streams, strict=True):
        if k.rate > 0:
            env.process(arrivals(k, np.random.default_rng(stream)))
    for _ in range(counters):
        env.process(counter())
    env.run(until=end)
    if pending[0] > 0:
        env.run(until=done)
    summary = _summarise(classes, waits, start, horizon)
    return SimResult(counters, summary, seed)


def _summarise(
    classes: Sequence[ClassLoad],
    waits: Mapping[str, list[tuple[float, float]]],
    start: float,
    horizon: float,
) -> tuple[SimClass, ...]:
    import numpy as np

    out = []
    for k in classes:
        rows = waits[k.name]
        if not rows:
            out.append(SimClass(k.name, 0, math.nan, math.nan, math.nan))
            continue
        data = np.asarray(rows, dtype=float)
        ok = data[:, 1] <= k.target
        batch = np.minimum(((data[:, 0] - start) / horizon * _BATCHES).astype(int), _BATCHES - 1)
        shares = [float(ok[batch == b].mean()) for b in range(_BATCHES) if (batch == b).any()]
        se = float(np.std(shares, ddof=1) / math.sqrt(len(shares))) if len(shares) > 1 else 0.0
        out.append(SimClass(k.name, len(rows), float(data[:, 1].mean()), float(ok.mean()), se))
    return tuple(out)
