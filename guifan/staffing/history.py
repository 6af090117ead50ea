"""A hall's own history as staffing input (pure): past tickets to ``plan_build``'s intervals.

Issue 7 point 5: "the same advice appears for each hall from its own history (arrivals per
30-min interval per weekday)". The caller picks the days (the last ``N`` same weekdays) and
hands over every ticket issued on them, with its local issue time, its calling class and its
service minutes when the ticket was served. Per interval and class, the expected arrivals are
the tickets issued in that interval over all observed days divided by the number of days
observed (a day without a ticket in an interval counts as zero there). Every issued ticket is
an arrival, served or not (a no-show or an abandonment also waited in the queue). The mean
service minutes of a class come from its served tickets over all days; a class without one
falls back to the hall's mean over all classes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from guifan.errors import ValidationFailed
from guifan.staffing.csvio import ClassRow, IntervalRows
from guifan.staffing.policy import CLASSES


@dataclass(frozen=True, slots=True)
class PastTicket:
    """One ticket of a past day.

    Parameters
    ----------
    issued
        Issue time as local wall-clock time (the hall's zone); its date is the ticket's day.
    cls
        Calling class: ``star67``, ``star5`` or ``normal`` (``policy.CLASSES``).
    service_min
        Minutes from the start to the end of service, or ``None`` when the ticket was not
        served (waiting, no-show, abandoned) or the times are missing.
    """

    issued: dt.datetime
    cls: str
    service_min: float | None = None


@dataclass(frozen=True, slots=True)
class History:
    """A hall's history as ``plan_build`` input.

    Parameters
    ----------
    days
        Days observed (distinct issue dates); the arrivals are means over these days.
    intervals
        Every interval from the first to the last one with a ticket on any day, in time
        order, each with a row per class (``CLASSES`` order; rows numbered from 1 in order).
    service_min
        Mean service minutes per class as used in the rows (after the fallback).
    """

    days: int
    intervals: tuple[IntervalRows, ...]
    service_min: dict[str, float]


def history_intervals(tickets: Iterable[PastTicket], *, minutes: int = 30) -> History:
    """Average past tickets into expected arrivals per interval and class.

    Parameters
    ----------
    tickets
        Every ticket issued on the observed days (any order).
    minutes
        Interval length; it must divide a day (30 gives the issue's half-hours).

    Returns
    -------
    History
        Days observed, the intervals and the service minutes per class.

    Raises
    ------
    ValidationFailed
        ``field="tickets"`` when there is no ticket, ``field="service_min"`` when no ticket
        has a positive service time, ``field="class"`` on an unknown class,
        ``field="minutes"`` on an interval length that does not divide a day.
    """
    if minutes <= 0 or 24 * 60 % minutes:
        raise ValidationFailed(
            "hall_history.bad_option",
            f"minutes: interval length must divide a day, got {minutes}",
            field="minutes",
        )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0))
    served: dict[str, list[float]] = {cls: [] for cls in CLASSES}
    days: set[dt.date] = set()
    for t in tickets:
        if t.cls not in CLASSES:
            raise ValidationFailed(
                "hall_history.bad_class",
                f"class: unknown class {t.cls!r} (known: {', '.join(CLASSES)})",
                field="class",
            )
        days.add(t.issued.date())
        counts[(t.issued.hour * 60 + t.issued.minute) // minutes][t.cls] += 1
        if t.service_min is not None and t.service_min > 0:
            served[t.cls].append(t.service_min)
    if not days:
        raise ValidationFailed(
            "hall_history.empty", "tickets: no ticket on the observed days", field="tickets"
        )
    service = service_means(served)
    first, last = min(counts), max(counts)
    intervals = []
    for slot in range(first, last + 1):
        per_class = counts.get(slot, dict.fromkeys(CLASSES, 0))
        rows = tuple(
            ClassRow(
                (slot - first) * len(CLASSES) + i + 1,
                cls,
                per_class[cls] / len(days),
                service[cls],
            )
            for i, cls in enumerate(CLASSES)
        )
        start = f"{slot * minutes // 60:02d}:{slot * minutes % 60:02d}"
        intervals.append(IntervalRows(start, float(minutes), rows))
    return History(len(days), tuple(intervals), service)


def service_means(served: dict[str, list[float]]) -> dict[str, float]:
    """Mean service minutes per class; a class without a served ticket gets the overall mean.

    Parameters
    ----------
    served
        Positive service minutes per class.

    Returns
    -------
    dict
        One mean per class in ``CLASSES``.

    Raises
    ------
    ValidationFailed
        ``field="service_min"`` when no class has a served ticket.
    """
    every = [m for cls in CLASSES for m in served.get(cls, [])]
    if not every:
        raise ValidationFailed(
            "hall_history.no_service",
            "service_min: no served ticket with a start and an end to measure service time",
            field="service_min",
        )
    overall = sum(every) / len(every)
    return {
        cls: sum(served[cls]) / len(served[cls]) if served.get(cls) else overall for cls in CLASSES
    }
