"""A hall's past tickets become plan intervals: means over days, fallbacks, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.errors import ValidationFailed
from guifan.staffing.history import PastTicket, history_intervals
from guifan.staffing.plan import plan_build

TARGETS = {"star67": 8.0, "star5": 15.0, "normal": 30.0}
MONDAYS = [dt.date(2025, 5, 5) + dt.timedelta(weeks=w) for w in range(4)]


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def ticket(day: dt.date, hhmm: str, cls: str = "normal", service: float | None = 10.0):
    return PastTicket(at(day, hhmm), cls, service)


def arrivals(history, start: str) -> dict[str, float]:
    (interval,) = [i for i in history.intervals if i.start == start]
    return {r.name: r.arrivals for r in interval.rows}


def test_arrivals_are_means_over_the_days_observed():
    tickets = [ticket(d, "09:10") for d in MONDAYS]  # one a day
    tickets += [ticket(MONDAYS[0], "09:29", "star5")] * 2  # two on one day only
    history = history_intervals(tickets)
    assert history.days == 4
    assert arrivals(history, "09:00") == {"star67": 0.0, "star5": 0.5, "normal": 1.0}


def test_an_interval_without_tickets_on_some_days_counts_them_as_zero():
    tickets = [ticket(d, "09:05") for d in MONDAYS]
    tickets += [ticket(MONDAYS[1], "10:40"), ticket(MONDAYS[1], "10:41")]
    history = history_intervals(tickets)
    assert [i.start for i in history.intervals] == ["09:00", "09:30", "10:00", "10:30"]
    assert arrivals(history, "09:30") == {"star67": 0.0, "star5": 0.0, "normal": 0.0}
    assert arrivals(history, "10:30")["normal"] == pytest.approx(0.5)


def test_the_intervals_are_half_hours_with_every_class_once():
    history = history_intervals([ticket(MONDAYS[0], "13:59"), ticket(MONDAYS[0], "14:00")])
    assert [(i.start, i.minutes) for i in history.intervals] == [("13:30", 30.0), ("14:00", 30.0)]
    rows = [r for i in history.intervals for r in i.rows]
    assert [r.name for r in rows] == ["star67", "star5", "normal"] * 2
    assert [r.row for r in rows] == [1, 2, 3, 4, 5, 6]


def test_service_time_is_the_class_mean_of_served_tickets():
    day = MONDAYS[0]
    history = history_intervals(
        [
            ticket(day, "09:00", "star67", 12.0),
            ticket(day, "09:01", "star67", 18.0),
            ticket(day, "09:02", "normal", 6.0),
            ticket(day, "09:03", "normal", None),  # a no-show: an arrival, no service time
        ]
    )
    assert history.service_min["star67"] == 15.0
    assert history.service_min["normal"] == 6.0
    assert arrivals(history, "09:00")["normal"] == 2.0


def test_a_class_never_served_falls_back_to_the_hall_mean():
    day = MONDAYS[0]
    history = history_intervals(
        [
            ticket(day, "09:00", "star67", 12.0),
            ticket(day, "09:01", "normal", 6.0),
            ticket(day, "09:02", "star5", None),
        ]
    )
    assert history.service_min["star5"] == 9.0
    assert {r.service_min for i in history.intervals for r in i.rows if r.name == "star5"} == {9.0}


def test_no_ticket_at_all_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as exc:
        history_intervals([])
    assert exc.value.field == "tickets"


def test_no_served_ticket_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as exc:
        history_intervals([ticket(MONDAYS[0], "09:00", service=None)])
    assert exc.value.field == "service_min"


def test_an_unknown_class_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        history_intervals([ticket(MONDAYS[0], "09:00", "gold")])
    assert exc.value.field == "class"


def test_the_plan_of_a_history_rises_with_the_arrivals():
    light = [ticket(d, f"09:{m:02d}") for d in MONDAYS for m in range(0, 30, 10)]
    heavy = [ticket(d, f"10:{m:02d}") for d in MONDAYS for m in range(30)]
    plans = plan_build(history_intervals(light + heavy).intervals, targets=TARGETS)
    by_start = {p.start: p.counters for p in plans}
    assert by_start["09:00"] < by_start["10:00"]
    assert by_start["09:30"] == 1  # no arrivals: the hall is open with one counter
