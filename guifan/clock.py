"""Injected time: every rule reads "now" from a Clock, never from the system directly.

Wall-clock rules (quiet hours, "before 09:00") are evaluated in ``ZONE``; instants are
stored as aware UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Protocol
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time, as an aware datetime in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, at: dt.datetime) -> None:
        _require_aware(at)
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        _require_aware(at)
        self._at = at

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        self._at = self._at + delta
        return self._at


class SimulatedClock(FixedClock):
    """A clock driven by a simulation loop; never moves backwards."""

    def __init__(self, at: dt.datetime) -> None:
        super().__init__(at)
        self._lock = threading.Lock()

    def set(self, at: dt.datetime) -> None:
        with self._lock:
            if at < self._at:
                raise ValueError(f"simulated clock cannot move back from {self._at} to {at}")
            super().set(at)


class OffsetClock:
    """Real time moved to another moment: reads ``anchor`` at the real instant ``since`` and
    advances in real time from there (``guifan serve --demo`` replays the demo's day live).

    Processes given the same ``anchor`` and ``since`` (the web server and its worker) agree.
    """

    def __init__(
        self, anchor: dt.datetime, since: dt.datetime | None = None, real: Clock | None = None
    ) -> None:
        _require_aware(anchor)
        self._real = real or SystemClock()
        since = since or self._real.now()
        _require_aware(since)
        self._offset = anchor - since

    def now(self) -> dt.datetime:
        return self._real.now() + self._offset


def offset_clock_parse(at: str, since: str = "") -> OffsetClock:
    """The clock of the GUIFAN_CLOCK_AT / GUIFAN_CLOCK_SINCE settings (ISO 8601 instants with
    their offset); ``since`` empty: from now. A malformed or naive instant is a ValueError."""
    anchor = dt.datetime.fromisoformat(at)
    start = dt.datetime.fromisoformat(since) if since else None
    return OffsetClock(anchor, start)


def _require_aware(at: dt.datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("clock instants must be timezone-aware")


_current: Clock = SystemClock()


def get_clock() -> Clock:
    """The process-wide clock (system time unless a test or the demo installed another)."""
    return _current


def set_clock(clock: Clock) -> Clock:
    """Install ``clock`` for the process and return the previous one."""
    global _current
    previous, _current = _current, clock
    return previous


def now() -> dt.datetime:
    return _current.now()


def local(at: dt.datetime) -> dt.datetime:
    """``at`` in the norms' zone (Asia/Shanghai)."""
    return at.astimezone(ZONE)


def at_local(day: dt.date, hhmm: str | dt.time) -> dt.datetime:
    """The aware instant of wall-clock ``hhmm`` on ``day`` in Asia/Shanghai."""
    t = dt.time.fromisoformat(hhmm) if isinstance(hhmm, str) else hhmm
    return dt.datetime.combine(day, t, tzinfo=ZONE)
