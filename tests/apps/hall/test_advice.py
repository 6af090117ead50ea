"""Staffing advice from a hall's own history: the last same weekdays, capped at its counters."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.hall.advice import advice_dates, advice_json, hall_advice
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.clock import at_local
from guifan.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 2)  # the clock fixture's Monday
MONDAYS = [TODAY - dt.timedelta(weeks=w) for w in range(1, 5)]


def make_hall(counters: int = 15) -> Hall:
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    for n in range(1, counters + 1):
        Counter.objects.create(hall=hall, number=n, categories=["A"], status="open")
    return hall


def served(hall: Hall, day: dt.date, hhmm: str, *, minutes: float = 10.0, star: int = 0) -> None:
    """A ticket issued at ``hhmm``, called a minute later and served for ``minutes``."""
    issued = at_local(day, hhmm)
    number = Ticket.objects.filter(hall=hall, day=day).count() + 1
    Ticket.objects.create(
        hall=hall,
        day=day,
        category="A",
        number=number,
        star_verified=star or None,
        status="done",
        issued_at=issued,
        started_at=issued + dt.timedelta(minutes=1),
        finished_at=issued + dt.timedelta(minutes=1 + minutes),
    )


def four_mondays(hall: Hall, *, light: int = 3, heavy: int = 30) -> None:
    for day in MONDAYS:
        for i in range(light):
            served(hall, day, f"09:{i * 9:02d}")
        for i in range(heavy):
            served(hall, day, f"10:{i:02d}", star=6 if i % 10 == 0 else 0)


def test_the_advised_counters_rise_where_the_arrivals_are_heavier(clock):
    hall = make_hall()
    four_mondays(hall)
    advice = hall_advice(hall_code="H1", weekday=1, until=TODAY)
    assert (advice.days, advice.dates) == (4, tuple(MONDAYS))
    counters = {p.start: p.counters for p in advice.plans}
    assert list(counters) == ["09:00", "09:30", "10:00"]
    assert counters["09:30"] == 1  # nobody came: one counter keeps the hall open
    assert 1 <= counters["09:00"] < counters["10:00"] <= 15
    # 30 tickets of 10 minutes a half-hour is 10 Erlangs: more than 10 counters.
    assert counters["10:00"] > 10
    peak = next(p for p in advice.plans if p.start == "10:00")
    assert all(w.within_target >= 0.9 for w in peak.predicted)


def test_only_the_same_weekday_counts(clock):
    hall = make_hall()
    four_mondays(hall)
    for i in range(20):  # a busy Tuesday does not change Monday's advice
        served(hall, MONDAYS[0] + dt.timedelta(days=1), f"09:{i % 30:02d}")
    counters = {
        p.start: p.counters for p in hall_advice(hall_code="H1", weekday=1, until=TODAY).plans
    }
    assert counters["09:00"] < counters["10:00"]
    tuesday = hall_advice(hall_code="H1", weekday=2, until=TODAY)
    assert (tuesday.days, [p.start for p in tuesday.plans]) == (1, ["09:00"])


def test_arrivals_are_averaged_over_the_days_observed(clock):
    hall = make_hall()
    for i in range(30):  # 30 tickets on one of the four Mondays only
        served(hall, MONDAYS[2], f"10:{i:02d}")
    once = hall_advice(hall_code="H1", weekday=1, until=TODAY)
    four_mondays(Hall.objects.create(code="H2", name="另一个厅"), light=0, heavy=30)
    for n in range(1, 16):
        Counter.objects.create(hall=Hall.objects.get(code="H2"), number=n, categories=["A"])
    every = hall_advice(hall_code="H2", weekday=1, until=TODAY)
    assert once.days == 1 and every.days == 4
    assert once.plans[0].counters == every.plans[0].counters


def test_the_json_is_the_plan_contract_with_the_hall_and_weekday(clock):
    hall = make_hall()
    four_mondays(hall)
    doc = advice_json(hall_advice(hall_code="H1", weekday=1, until=TODAY, service_level=0.8))
    assert list(doc) == ["hall", "weekday", "days", "intervals", "service_level"]
    assert (doc["hall"], doc["weekday"], doc["days"], doc["service_level"]) == ("H1", 1, 4, 0.8)
    assert set(doc["intervals"][0]) == {"start", "counters", "predicted"}


def test_a_history_beyond_the_hall_counters_names_the_counters(clock):
    hall = make_hall(counters=5)
    four_mondays(hall)
    with pytest.raises(ValidationFailed) as exc:
        hall_advice(hall_code="H1", weekday=1, until=TODAY)
    assert exc.value.field == "counters"
    assert "10:00" in exc.value.message


def test_no_history_is_refused_naming_the_tickets(clock):
    make_hall()
    with pytest.raises(ValidationFailed) as exc:
        hall_advice(hall_code="H1", weekday=1, until=TODAY)
    assert exc.value.field == "tickets"
    assert "2025-05-05" in exc.value.message


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"weekday": 0}, "weekday"),
        ({"weekday": 8}, "weekday"),
        ({"weeks": 0}, "weeks"),
        ({"service_level": 1.0}, "service_level"),
    ],
)
def test_bad_options_are_refused_naming_the_field(clock, options, field):
    make_hall()
    with pytest.raises(ValidationFailed) as exc:
        hall_advice(**{"hall_code": "H1", "weekday": 1, "until": TODAY, **options})
    assert exc.value.field == field


def test_an_unknown_hall_is_refused(clock):
    with pytest.raises(NotFound) as exc:
        hall_advice(hall_code="NOPE", weekday=1, until=TODAY)
    assert exc.value.field == "hall"


def test_the_dates_are_the_last_same_weekdays_before_until():
    assert advice_dates(weekday=1, until=TODAY, weeks=2) == (
        dt.date(2025, 5, 26),
        dt.date(2025, 5, 19),
    )
    assert advice_dates(weekday=7, until=TODAY, weeks=1) == (dt.date(2025, 6, 1),)
    assert advice_dates(weekday=2, until=TODAY, weeks=1) == (dt.date(2025, 5, 27),)


def test_the_queries_do_not_grow_with_the_history(clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hall = make_hall()
    served(hall, MONDAYS[0], "09:00")
    with CaptureQueriesContext(connection) as small:
        hall_advice(hall_code="H1", weekday=1, until=TODAY)
    four_mondays(hall)
    with CaptureQueriesContext(connection) as large:
        hall_advice(hall_code="H1", weekday=1, until=TODAY)
    assert len(large) == len(small) <= 6
