"""The worker outlives a lost database connection: it backs off, reconnects and carries on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError

from guifan.apps.norms.models import NormCheck
from guifan.apps.timers import worker
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import HANDLERS
from tests import factories as f

# The worker closes the connection after an error: no test transaction around it.
pytestmark = pytest.mark.django_db(transaction=True)


class FlakyDatabase:
    """timer_fire_next following a script: an error is raised, None calls the real one."""

    def __init__(self, script: list[Exception | None]) -> None:
        self.script = script
        self.real = worker.timer_fire_next

    def __call__(self, **kwargs):  # type: ignore[no-untyped-def]
        step = self.script.pop(0) if self.script else None
        if step is not None:
            raise step
        return self.real(**kwargs)


def due_timer(clock) -> Timer:
    """An order whose first-contact deadline (APT-02) has passed."""
    f.order(tier="diamond")
    clock.advance(dt.timedelta(hours=3))
    return Timer.objects.get(status="pending", kind="apt02.first_contact")


def test_a_failing_database_call_is_followed_by_a_successful_one(clock, monkeypatch):
    due_timer(clock)
    monkeypatch.setattr(worker, "timer_fire_next", FlakyDatabase([OperationalError("gone")]))
    slept: list[float] = []
    ran = worker.run_worker(
        batch=True, interval=0, max_items=None, worker_id="w", sleep=slept.append
    )
    assert ran == 1
    assert Timer.objects.get(kind="apt02.first_contact").status == "fired"
    assert slept == [worker.reconnect_delay(1)]


def test_the_back_off_doubles_up_to_a_cap_and_starts_over_after_a_success(clock, monkeypatch):
    due_timer(clock)
    script: list[Exception | None] = [InterfaceError("closed")] * 9
    script += [None, OperationalError("gone")]  # fires the timer, then fails again
    monkeypatch.setattr(worker, "timer_fire_next", FlakyDatabase(script))
    slept: list[float] = []
    ran = worker.run_worker(
        batch=True, interval=0, max_items=None, worker_id="w", sleep=slept.append
    )
    backoff = [worker.reconnect_delay(n) for n in range(1, 10)]
    assert slept == [*backoff, worker.reconnect_delay(1)]
    assert backoff[:3] == [backoff[0], 2 * backoff[0], 4 * backoff[0]]
    assert max(backoff) == backoff[-1] == backoff[-2] == worker.RECONNECT_MAX_SECONDS
    assert ran == 1
    assert Timer.objects.get(kind="apt02.first_contact").status == "fired"


def test_a_database_error_inside_a_handler_leaves_the_timer_for_the_retry(clock, monkeypatch):
    timer = due_timer(clock)
    real = HANDLERS[timer.kind]
    calls: list[int] = []

    def cut_off_once(t: Timer, now: dt.datetime) -> dict[str, Any]:
        calls.append(t.id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(t, now)

    monkeypatch.setitem(HANDLERS, timer.kind, cut_off_once)
    slept: list[float] = []
    ran = worker.run_worker(
        batch=True, interval=0, max_items=None, worker_id="w", sleep=slept.append
    )
    assert (ran, calls, slept) == (1, [timer.id, timer.id], [worker.reconnect_delay(1)])
    timer.refresh_from_db()
    assert timer.status == "fired"
    assert NormCheck.objects.filter(norm_id="APT-02").count() == 1
