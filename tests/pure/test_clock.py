"""The offset clock: another moment, advancing in real time."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.clock import FixedClock, OffsetClock, at_local, offset_clock_parse

DAY = dt.date(2025, 6, 3)
REAL = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)


def test_the_offset_clock_reads_the_anchor_at_its_start_and_runs_on_in_real_time() -> None:
    real = FixedClock(REAL)
    clock = OffsetClock(at_local(DAY, "11:00"), since=REAL, real=real)
    assert clock.now() == at_local(DAY, "11:00")
    real.advance(dt.timedelta(minutes=7, seconds=30))
    assert clock.now() == at_local(DAY, "11:07:30")


def test_a_process_started_later_with_the_same_start_agrees() -> None:
    later = FixedClock(REAL + dt.timedelta(seconds=3))  # the worker, started after the server
    clock = OffsetClock(at_local(DAY, "11:00"), since=REAL, real=later)
    assert clock.now() == at_local(DAY, "11:00:03")


def test_the_settings_text_gives_the_anchor_from_now_when_no_start_is_given() -> None:
    clock = offset_clock_parse("2025-06-03T11:00:00+08:00", REAL.isoformat())
    assert clock.now() > at_local(DAY, "11:00")  # REAL is in the past: time has run on since


def test_an_instant_without_an_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        offset_clock_parse("2025-06-03T11:00:00")


def test_a_malformed_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        offset_clock_parse("tomorrow morning")
