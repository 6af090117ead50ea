"""What a timer key means: one deadline, armed again after a cancel, never twice at once."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timer_cancel, timer_schedule

pytestmark = pytest.mark.django_db
KIND = "apt08.retry"


def arm(clock, minutes: int) -> Timer:
    return timer_schedule(kind=KIND, key="k", due_at=clock.now() + dt.timedelta(minutes=minutes))


def test_arming_a_pending_key_again_changes_nothing(clock):
    first = arm(clock, 10)
    again = arm(clock, 20)
    assert again.id == first.id
    assert Timer.objects.get().due_at == clock.now() + dt.timedelta(minutes=10)


def test_a_cancelled_key_is_armed_again_with_the_new_due_time(clock):
    arm(clock, 10)
    assert timer_cancel(key="k")
    timer = arm(clock, 20)
    assert (timer.status, timer.due_at) == ("pending", clock.now() + dt.timedelta(minutes=20))
    assert Timer.objects.get().status == "pending"


def test_a_fired_key_is_not_armed_again(clock):
    arm(clock, 10)
    Timer.objects.update(status="fired", fired_at=clock.now())
    assert arm(clock, 20).status == "fired"
    assert not timer_cancel(key="k")
    assert Timer.objects.get().status == "fired"
