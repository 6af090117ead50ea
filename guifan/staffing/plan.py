"""Staffing advice per interval (pure): the fewest counters that meet every class's target.

For each interval (an independent steady state), ``counters`` is the smallest ``c`` from
``max(1, floor(a) + 1)`` (``a`` the offered load in Erlangs) up to ``max_counters`` at which
every class with arrivals has at least ``service_level`` of its customers called within its
HAL-02 target under the hall's calling policy. The shares come from the analytic model of
``guifan.staffing.erlang`` for the ``"slack"`` policy; ``guifan.staffing.simulate`` validates
them (tests, ``bench/hall_plan.py``), and the bench reports where the two disagree. The advice
itself is analytic, so it is deterministic, monotone in the arrivals and fast.

A class with no arrivals does not constrain ``c``; its prediction is what a single customer
of that class would see at ``c`` (the limit of a vanishing arrival rate). An interval with no
arrivals at all gets one counter (the hall is open) and every class waits 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from guifan.errors import ValidationFailed
from guifan.staffing.csvio import ClassRow, IntervalRows, input_error
from guifan.staffing.erlang import ClassLoad, ClassWait, Discipline, class_waits
from guifan.staffing.policy import CLASSES


@dataclass(frozen=True, slots=True)
class IntervalPlan:
    """The advice for one interval.

    Parameters
    ----------
    start
        Interval start, HH:MM.
    counters
        Fewest counters meeting the service level for every class with arrivals.
    predicted
        Per class (``CLASSES`` order), the mean wait and share within target at ``counters``.
    """

    start: str
    counters: int
    predicted: tuple[ClassWait, ...]


def interval_loads(interval: IntervalRows, targets: Mapping[str, float]) -> tuple[ClassLoad, ...]:
    """The three classes of an interval as rates per minute (missing classes at rate 0).

    Parameters
    ----------
    interval
        The CSV rows of one interval.
    targets
        Target wait per class in minutes (``policy.targets_from_norms``).

    Returns
    -------
    tuple of ClassLoad
        In ``CLASSES`` order; a missing class gets rate 0 and the interval's mean service.
    """
    given = {r.name: r for r in interval.rows}
    arrivals = sum(r.arrivals for r in interval.rows)
    mix = (
        sum(r.arrivals * r.service_min for r in interval.rows) / arrivals
        if arrivals > 0
        else sum(r.service_min for r in interval.rows) / len(interval.rows)
    )
    out = []
    for name in CLASSES:
        row = given.get(name)
        rate = row.arrivals / interval.minutes if row else 0.0
        service = row.service_min if row else mix
        out.append(ClassLoad(name, rate, service, targets[name]))
    return tuple(out)


def counters_min(
    classes: tuple[ClassLoad, ...],
    *,
    service_level: float,
    max_counters: int,
    discipline: Discipline = "slack",
) -> tuple[int, tuple[ClassWait, ...]] | None:
    """Fewest counters (at most ``max_counters``) at which every class meets the level.

    Parameters
    ----------
    classes
        The interval's classes.
    service_level
        Required share within target, ``0 < service_level < 1``.
    max_counters
        Counters the hall has.
    discipline
        Calling policy modelled (``"slack"`` is the hall's).

    Returns
    -------
    tuple or None
        ``(counters, predictions)``, or ``None`` when ``max_counters`` is not enough.
    """
    load = sum(k.load for k in classes)
    if load <= 0:
        return 1, class_waits(classes, 1, discipline)
    for c in range(max(1, math.floor(load) + 1), max_counters + 1):
        waits = class_waits(classes, c, discipline)
        if all(
            w.within_target >= service_level
            for k, w in zip(classes, waits, strict=True)
            if k.rate > 0
        ):
            return c, waits
    return None


def plan_build(
    intervals: Iterable[IntervalRows],
    *,
    targets: Mapping[str, float],
    service_level: float = 0.9,
    max_counters: int = 40,
) -> tuple[IntervalPlan, ...]:
    """Advise counters for every interval.

    Parameters
    ----------
    intervals
        Parsed CSV intervals (``csvio.intervals_read``).
    targets
        Target wait per class in minutes (HAL-02).
    service_level
        Required share within target per class, ``0 < service_level < 1``.
    max_counters
        Counters the hall has, ``>= 1``.

    Returns
    -------
    tuple of IntervalPlan
        In input order.

    Raises
    ------
    ValidationFailed
        When an interval's offered load is at least ``max_counters`` Erlangs, or no count up
        to ``max_counters`` meets the level; the error names the row and field to blame
        (``unservable_blame``).
    """
    if not 0 < service_level < 1:
        raise ValidationFailed(
            "hall_plan.bad_option",
            f"--service-level must be > 0 and < 1, got {service_level:g}",
            field="service_level",
        )
    if max_counters < 1:
        raise ValidationFailed(
            "hall_plan.bad_option",
            f"--max-counters must be >= 1, got {max_counters}",
            field="max_counters",
        )
    out = []
    for interval in intervals:
        classes = interval_loads(interval, targets)
        found = counters_min(classes, service_level=service_level, max_counters=max_counters)
        if found is None:
            raise unservable_blame(interval, classes, service_level, max_counters)
        out.append(IntervalPlan(interval.start, found[0], found[1]))
    return tuple(out)


def unservable_blame(
    interval: IntervalRows,
    classes: tuple[ClassLoad, ...],
    service_level: float,
    max_counters: int,
) -> ValidationFailed:
    """The error for an interval that ``max_counters`` counters cannot serve.

    The row blamed is the one with the largest offered load (arrivals times service). The
    field is ``service_min`` when that row's mean service is longer than the interval itself
    (one service outlasting the interval points at the service time), else ``arrivals``.
    """
    worst: ClassRow = max(interval.rows, key=lambda r: (r.arrivals * r.service_min, -r.row))
    field = "service_min" if worst.service_min > interval.minutes else "arrivals"
    load = sum(k.load for k in classes)
    if load >= max_counters:
        why = f"offered load {load:.2f} Erlangs needs more than {max_counters} counters"
    else:
        why = (
            f"no count up to {max_counters} counters serves {service_level:g} of every class "
            f"within target (offered load {load:.2f} Erlangs)"
        )
    error = input_error(worst.row, field, f"interval {interval.start}: {why} (--max-counters)")
    error.code = "hall_plan.unservable"
    return error


def plan_json(plans: Iterable[IntervalPlan], service_level: float) -> dict[str, object]:
    """The ``guifan hall plan --json`` document: exactly the contract's keys.

    Mean waits are rounded to 0.01 minute and shares to 0.0001.
    """
    return {
        "intervals": [
            {
                "start": p.start,
                "counters": p.counters,
                "predicted": {
                    w.name: {
                        "mean_wait_min": round(w.mean_wait, 2),
                        "within_target": round(w.within_target, 4),
                    }
                    for w in p.predicted
                },
            }
            for p in plans
        ],
        "service_level": service_level,
    }
