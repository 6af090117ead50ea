"""Settled timers older than the retention setting go; pending ones stay (ADR 0038)."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.norms.retention import partitions_maintain
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timers_purge_before

pytestmark = pytest.mark.django_db


def _timer(key: str, status: str, due: dt.datetime) -> Timer:
    return Timer.objects.create(
        kind="apt02.first_contact", key=key, due_at=due, status=status, created_at=due
    )


def test_only_settled_timers_before_the_cutoff_go(clock):
    now = clock.now()
    old = now - dt.timedelta(days=500)
    for status in (TimerStatus.FIRED, TimerStatus.CANCELLED, TimerStatus.FAILED):
        _timer(f"old-{status}", status, old)
    _timer("old-pending", TimerStatus.PENDING, old)  # a deadline never fired is never dropped
    _timer("recent-fired", TimerStatus.FIRED, now - dt.timedelta(days=10))

    assert timers_purge_before(cutoff=now - dt.timedelta(days=400), batch=2) == 3

    assert set(Timer.objects.values_list("key", flat=True)) == {"old-pending", "recent-fired"}


def test_the_daily_job_purges_timers_with_the_setting(clock, settings):
    settings.GUIFAN_TIMER_RETENTION_DAYS = 30
    _timer("a", TimerStatus.FIRED, clock.now() - dt.timedelta(days=31))
    _timer("b", TimerStatus.FIRED, clock.now() - dt.timedelta(days=29))

    result = partitions_maintain(now=clock.now())

    assert result["timers_deleted"] == 1
    assert list(Timer.objects.values_list("key", flat=True)) == ["b"]
