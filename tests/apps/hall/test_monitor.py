"""HAL-03: a peak raises an alert on the worker; opening a counter in time keeps the norm."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, HallAlert
from guifan.apps.hall.monitor import hall_monitor_running, hall_monitor_start, hall_monitor_today
from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_hall(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")
    Counter.objects.create(hall=hall, number=2, categories=["A"], status="closed")
    for _ in range(9):
        services.ticket_issue(by=None, hall_code="H1", category="A")
    hall_monitor_start(hall=hall, at=clock.now())
    return hall


def kept():
    return list(NormCheck.objects.filter(norm_id="HAL-03").values_list("kept", flat=True))


def test_a_peak_answered_by_opening_a_counter_keeps_hal03(busy_hall, clock):
    timers_fire_due(now=clock.now(), worker_id="t")
    assert HallAlert.objects.filter(kind="peak").count() == 1
    clock.advance(dt.timedelta(minutes=6))
    services.counter_set_status(counter_id=Counter.objects.get(number=2).id, status="open", by=None)
    assert kept() == [True]
    clock.advance(dt.timedelta(minutes=15))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept() == [True]


def test_a_peak_left_alone_breaks_hal03(busy_hall, clock):
    timers_fire_due(now=clock.now(), worker_id="t")
    clock.advance(dt.timedelta(minutes=16))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept() == [False]


def test_the_monitor_rearms_itself(busy_hall, clock):
    timers_fire_due(now=clock.now(), worker_id="t")
    assert Timer.objects.filter(kind="hal.monitor", status="pending").count() == 1


def test_monitoring_started_for_today_stops_at_the_end_of_the_day(clock):
    hall = Hall.objects.create(code="H2", name="盐市口营业厅")
    assert hall_monitor_running(hall) is False
    hall_monitor_today(hall=hall, now=clock.now())
    assert hall_monitor_running(hall) is True
    clock.advance(dt.timedelta(hours=14))  # past midnight: every round so far has fired
    while timers_fire_due(now=clock.now(), worker_id="t"):
        pass
    assert hall_monitor_running(hall) is False
