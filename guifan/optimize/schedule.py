"""Timing of one technician's ordered stops: earliest starts, break slot, DSP-02 departures.

A break overlaps neither a service nor a drive: it is taken at the previous place before
driving on (``AFTER``), or on arrival at the next job before its service (``BEFORE``); a
break after the last stop is taken before the drive home (CONTRACTS.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from guifan.optimize.problem import Job, Technician, TravelMatrix
from guifan.optimize.result import BreakSlot, Route, Stop


class BreakMode(Enum):
    AFTER = "after previous place"
    BEFORE = "on arrival, before service"


@dataclass(frozen=True, slots=True)
class Timing:
    """DSP-02 margins: arrive ``early_min``..``early_max`` minutes before the service start."""

    early_min: int
    early_max: int

    def __post_init__(self) -> None:
        if not 0 <= self.early_min <= self.early_max:
            raise ValueError("need 0 <= early_min <= early_max")


class _Leg(NamedTuple):
    avail: int  # earliest departure (after previous end and any break there)
    travel: int
    start: int
    brk: int | None  # break start if taken on this leg
    brk_on_arrival: bool = False


def _legs(
    tech: Technician,
    jobs: Sequence[Job],
    travel: TravelMatrix,
    margins: Sequence[int],
    *,
    pos: int | None,
    mode: BreakMode,
) -> tuple[list[_Leg], int, int | None] | None:
    """Forward pass with earliest starts, arriving ``margins[i]`` minutes before the start of
    stop ``i`` at least; ``None`` when a window, break or shift fails."""
    brk = tech.break_
    t, loc = tech.shift[0], tech.start
    legs: list[_Leg] = []
    for i, job in enumerate(jobs):
        bstart: int | None = None
        if brk is not None and pos == i and mode is BreakMode.AFTER:
            bstart = max(t, brk.earliest)
            t = bstart + brk.minutes
        tr = travel.travel(loc, job.location)
        arrive = t + tr
        if brk is not None and pos == i and mode is BreakMode.BEFORE:
            bstart = max(arrive, brk.earliest)
            start = max(bstart + brk.minutes, job.window[0])
        else:
            start = max(arrive + margins[i], job.window[0])
        if start > job.window[1] or (
            brk is not None and bstart is not None and bstart > brk.latest
        ):
            return None
        legs.append(_Leg(t, tr, start, bstart, mode is BreakMode.BEFORE))
        t, loc = start + job.service_min, job.location
    last_brk: int | None = None
    if brk is not None and pos == len(jobs):
        last_brk = max(t, brk.earliest)
        if last_brk > brk.latest:
            return None
        t = last_brk + brk.minutes
    home = t + travel.travel(loc, tech.end)
    if home > tech.shift[1]:
        return None
    return legs, home, last_brk


def _candidates(
    tech: Technician, n: int, hint: int | None
) -> Iterator[tuple[int | None, BreakMode]]:
    if tech.break_ is None or n == 0:
        yield None, BreakMode.AFTER
        return
    order = sorted(range(n + 1), key=lambda p: (abs(p - hint) if hint is not None else 0, p))
    for p in order:
        yield p, BreakMode.AFTER
        if p < n:
            yield p, BreakMode.BEFORE


def _last_break_slot(
    tech: Technician, jobs: Sequence[Job], travel: TravelMatrix, margins: Sequence[int]
) -> int:
    """The last break position worth trying: every stop before the break is timed as without
    one, so a slot whose place is reached after the break's latest start, or after a stop
    that misses its window, fails whatever the break does."""
    brk = tech.break_
    assert brk is not None
    t, loc = tech.shift[0], tech.start
    for i, job in enumerate(jobs):
        if t > brk.latest:
            return i - 1
        start = max(t + travel.travel(loc, job.location) + margins[i], job.window[0])
        if start > job.window[1]:
            return i
        t, loc = start + job.service_min, job.location
    return len(jobs) if t <= brk.latest else len(jobs) - 1


def _first(
    tech: Technician,
    jobs: Sequence[Job],
    travel: TravelMatrix,
    margins: Sequence[int],
    hint: int | None,
) -> tuple[list[_Leg], int, int | None] | None:
    # A break at least as long as every margin only adds time: when the day fails without
    # it, no break slot can save it.
    brk = tech.break_
    if (
        brk is not None
        and jobs
        and brk.minutes >= max(margins)
        and _legs(tech, jobs, travel, margins, pos=None, mode=BreakMode.AFTER) is None
    ):
        return None
    last = _last_break_slot(tech, jobs, travel, margins) if brk is not None else len(jobs)
    for pos, mode in _candidates(tech, len(jobs), hint):
        if pos is not None and pos > last:
            continue
        found = _legs(tech, jobs, travel, margins, pos=pos, mode=mode)
        if found is not None:
            return found
    return None


def _break_at(found: tuple[list[_Leg], int, int | None], n: int) -> int | None:
    """Jobs before the break in a found timing (the first slot to try next)."""
    legs, _home, last_brk = found
    at = next((i for i, leg in enumerate(legs) if leg.brk is not None), None)
    return at if at is not None else (n if last_brk is not None else None)


def feasible(
    tech: Technician, jobs: Sequence[Job], travel: TravelMatrix, break_hint: int | None = None
) -> bool:
    """Whether ``jobs`` in this order fit ``tech``'s day (windows, break, shift), without
    the DSP-02 margin (a preference, never a reason to leave a job out)."""
    return _first(tech, jobs, travel, [0] * len(jobs), break_hint) is not None


def schedule(
    tech: Technician,
    jobs: Sequence[Job],
    travel: TravelMatrix,
    timing: Timing,
    break_hint: int | None = None,
) -> Route | None:
    """Time ``jobs`` in this order for ``tech``, or ``None`` if no timing is feasible.

    DSP-02 is a preference: every stop is planned to arrive at least ``early_min`` before its
    start where the route allows; where it does not, the stops are kept and the margin is
    given up at as few of them as the greedy pass (first stop first) finds.

    Parameters
    ----------
    tech, jobs, travel
        The technician, the ordered jobs and the travel matrix.
    timing
        DSP-02 margins (from the norm catalog).
    break_hint
        Number of jobs before the break in the solver's route; tried first.

    Returns
    -------
    Route | None
        Stops with departures back-computed from the start (arrive ``early_max`` before
        it where the previous end allows); the break as late as the solver had it.
    """
    n = len(jobs)
    margins = [timing.early_min] * n
    found = _first(tech, jobs, travel, margins, break_hint)
    if found is None and timing.early_min > 0:
        margins = [0] * n
        found = _first(tech, jobs, travel, margins, break_hint)
        if found is None:
            return None
        for i in range(n):
            trial = [*margins[:i], timing.early_min, *margins[i + 1 :]]
            better = _first(tech, jobs, travel, trial, _break_at(found, n))
            if better is not None:
                margins, found = trial, better
    if found is None:
        return None
    return _route(tech, jobs, timing, found)


def _route(
    tech: Technician,
    jobs: Sequence[Job],
    timing: Timing,
    found: tuple[list[_Leg], int, int | None],
) -> Route:
    legs, home, last_brk = found
    stops: list[Stop] = []
    slot: BreakSlot | None = None
    minutes = tech.break_.minutes if tech.break_ is not None else 0
    for job, leg in zip(jobs, legs, strict=True):
        if leg.brk is not None and leg.brk_on_arrival:
            depart = leg.avail
        else:
            depart = max(leg.avail, leg.start - timing.early_max - leg.travel)
        if leg.brk is not None:
            slot = BreakSlot(leg.brk, leg.brk + minutes)
        stops.append(
            Stop(job.id, depart, depart + leg.travel, leg.start, leg.start + job.service_min)
        )
    if last_brk is not None:
        slot = BreakSlot(last_brk, last_brk + minutes)
    return Route(tech.id, tuple(stops), slot if stops else None, home)
