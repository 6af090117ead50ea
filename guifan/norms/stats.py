"""Compliance arithmetic (pure): tallies, rates and per-day series over a date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tally:
    """Occasions on which a norm applied (``checked``) and how many of them kept it.

    Examples
    --------
    >>> Tally(checked=4, kept=3).rate
    0.75
    >>> Tally().rate is None
    True
    """

    checked: int = 0
    kept: int = 0

    def __post_init__(self) -> None:
        if self.checked < 0 or not 0 <= self.kept <= self.checked:
            raise ValueError(f"kept must lie in 0..checked: {self.kept}/{self.checked}")

    @property
    def broken(self) -> int:
        return self.checked - self.kept

    @property
    def rate(self) -> float | None:
        """The share kept, or None when nothing was checked (no rate, not 0 %)."""
        return self.kept / self.checked if self.checked else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.checked + other.checked, self.kept + other.kept)


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: dt.date
    tally: Tally


def tally_sum(tallies: Iterable[Tally]) -> Tally:
    # Plain integers: a province's month sums tens of thousands of tallies per page.
    checked = kept = 0
    for t in tallies:
        checked += t.checked
        kept += t.kept
    return Tally(checked, kept)


def days_between(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """Every day from ``start`` to ``end``, both included (empty when end < start)."""
    return tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1))


def daily_series(
    by_day: Mapping[dt.date, Tally], start: dt.date, end: dt.date
) -> tuple[DayPoint, ...]:
    """One point per day of the range; a day without checks gets an empty tally."""
    return tuple(DayPoint(day, by_day.get(day, Tally())) for day in days_between(start, end))


def worst_first_key(tally: Tally) -> tuple[float, int, int]:
    """Sort key: lowest rate first, then most broken, then most checked; no rate sorts last."""
    rate = tally.rate
    return (2.0 if rate is None else rate, -tally.broken, -tally.checked)


def percent(rate: float | None) -> str:
    """A rate as shown on the pages ("87.5%"), or an em dash when there is none.

    Examples
    --------
    >>> percent(0.875), percent(1.0), percent(None)
    ('87.5%', '100%', '—')
    """
    if rate is None:
        return "—"
    value = round(rate * 100, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"
