"""Staffing advice for one hall from its own history (issue 7 point 5, HAL-02).

Reads the hall's tickets of the last ``weeks`` days with the same ISO weekday before
``until``, averages them into arrivals per half-hour and class (``guifan.staffing.history``)
and plans counters with the ``guifan hall plan`` model, capped at the counters the hall has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.norms.services import norms_snapshot
from guifan.clock import local
from guifan.errors import NotFound, ValidationFailed
from guifan.staffing.csvio import IntervalRows
from guifan.staffing.history import History, PastTicket, history_intervals
from guifan.staffing.plan import IntervalPlan, interval_loads, plan_build, plan_json
from guifan.staffing.policy import targets_from_norms

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class HallAdvice:
    """Counters per half-hour for one weekday of one hall, learnt from ``days`` past days."""

    hall: str
    weekday: int
    days: int
    dates: tuple[dt.date, ...]
    plans: tuple[IntervalPlan, ...]
    service_level: float


def advice_dates(*, weekday: int, until: dt.date, weeks: int) -> tuple[dt.date, ...]:
    """The last ``weeks`` dates with ISO ``weekday`` strictly before ``until``, newest first."""
    if not 1 <= weekday <= 7:
        raise ValidationFailed(
            "hall_advice.weekday",
            f"weekday: must be 1 (Monday) to 7 (Sunday), got {weekday}",
            field="weekday",
        )
    if weeks < 1:
        raise ValidationFailed(
            "hall_advice.weeks", f"weeks: must be >= 1, got {weeks}", field="weeks"
        )
    back = (until.isoweekday() - weekday) % 7 or 7
    newest = until - dt.timedelta(days=back)
    return tuple(newest - dt.timedelta(weeks=w) for w in range(weeks))


def hall_history(*, hall: Hall, dates: tuple[dt.date, ...]) -> History:
    """The hall's tickets on ``dates`` as arrivals and service times (``history_intervals``)."""
    rows = Ticket.objects.filter(hall=hall, day__in=dates).only(
        "issued_at", "started_at", "finished_at", "star_verified", "vulnerable"
    )
    past = []
    for t in rows.iterator(chunk_size=2000):
        service = (
            (t.finished_at - t.started_at).total_seconds() / 60
            if t.started_at is not None and t.finished_at is not None
            else None
        )
        # Planned as they are called: the vulnerable with the first class (HAL-05).
        past.append(PastTicket(local(t.issued_at), ticket_class(t, for_calling=True), service))
    try:
        return history_intervals(past)
    except ValidationFailed as exc:
        if exc.field != "tickets":
            raise
        first, last = min(dates), max(dates)
        raise ValidationFailed(
            "hall_advice.no_history",
            f"tickets: hall {hall.code} has no ticket on the {len(dates)} "
            f"{WEEKDAYS[first.isoweekday() - 1]} from {first} to {last}",
            field="tickets",
        ) from exc


def hall_advice(
    *, hall_code: str, weekday: int, until: dt.date, weeks: int = 4, service_level: float = 0.9
) -> HallAdvice:
    """Advise counters per half-hour of ``weekday`` from the hall's last ``weeks`` such days.

    Raises ``NotFound`` (field ``hall``) for an unknown hall and ``ValidationFailed`` naming
    the field for a bad weekday, weeks or service level, a hall without counters, no history,
    or a half-hour that all the hall's counters cannot serve (field ``counters``).
    """
    hall = Hall.objects.filter(code=hall_code).first()
    if hall is None:
        raise NotFound("hall.not_found", f"hall: no hall {hall_code!r}", field="hall")
    dates = advice_dates(weekday=weekday, until=until, weeks=weeks)
    if not 0 < service_level < 1:
        raise ValidationFailed(
            "hall_advice.service_level",
            f"service_level: must be > 0 and < 1, got {service_level:g}",
            field="service_level",
        )
    counters = Counter.objects.filter(hall=hall).count()
    if counters == 0:
        raise ValidationFailed(
            "hall_advice.no_counters", f"counters: hall {hall.code} has none", field="counters"
        )
    history = hall_history(hall=hall, dates=dates)
    targets = targets_from_norms(norms_snapshot())
    try:
        plans = plan_build(
            history.intervals,
            targets=targets,
            service_level=service_level,
            max_counters=counters,
        )
    except ValidationFailed as exc:
        if exc.code != "hall_plan.unservable":
            raise
        interval = _interval_of_row(history.intervals, exc.extra.get("row"))
        load = sum(k.load for k in interval_loads(interval, targets))
        raise ValidationFailed(
            "hall_advice.unservable",
            f"counters: the {counters} counters of hall {hall.code} cannot serve "
            f"{service_level:g} of every class within target at {interval.start} "
            f"({load:.2f} Erlangs, the mean of {history.days} past {WEEKDAYS[weekday - 1]})",
            field="counters",
        ) from exc
    return HallAdvice(hall.code, weekday, history.days, dates, plans, service_level)


def _interval_of_row(intervals: tuple[IntervalRows, ...], row: object) -> IntervalRows:
    for interval in intervals:
        if any(r.row == row for r in interval.rows):
            return interval
    return intervals[0]


def advice_json(advice: HallAdvice) -> dict[str, object]:
    """``{"hall", "weekday", "days", "intervals", "service_level"}``; intervals as the plan's."""
    return {
        "hall": advice.hall,
        "weekday": advice.weekday,
        "days": advice.days,
        **plan_json(advice.plans, advice.service_level),
    }
