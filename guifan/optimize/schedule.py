"""Timing of one technician's ordered stops: earliest starts, break slot, DSP-02 departures.

A break overlaps neither a service nor a drive: it is taken at the previous place before
driving on (``AFTER``), or on arrival at the next job before its service (``BEFORE``); a
break after the last stop is taken before the drive home (CONTRACTS.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

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


@dataclass(frozen=True, slots=True)
class _Leg:
    avail: int  # earliest departure (after previous end and any break there)
    travel: int
    start: int
    brk: int | None  # break start if taken on this leg
    brk_on_arrival: bool = False


def _legs(
    tech: Technician,
    jobs: Sequence[Job],
    travel: TravelMatrix,
    timing: Timing,
    *,
    pos: int | None,
    mode: BreakMode,
) -> tuple[list[_Leg], int, int | None] | None:
    """Forward pass with earliest starts; ``None`` when a window, break or shift fails."""
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
            start = max(arrive + timing.early_min, job.window[0])
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


def schedule(
    tech: Technician,
    jobs: Sequence[Job],
    travel: TravelMatrix,
    timing: Timing,
    break_hint: int | None = None,
) -> Route | None:
    """Time ``jobs`` in this order for ``tech``, or ``None`` if no timing is feasible.

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
    for pos, mode in _candidates(tech, len(jobs), break_hint):
        found = _legs(tech, jobs, travel, timing, pos=pos, mode=mode)
        if found is not None:
            return _route(tech, jobs, timing, found)
    return None


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
