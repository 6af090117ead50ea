"""When a technician's tap happened: the phone's clock, bounded by the server's (pure rule).

An action queued offline carries ``at``, the phone's time of the tap (ISO 8601 with an offset,
as JavaScript's ``Date.toISOString()`` writes it). It is recorded as the step's, photo's or
event's time instead of the sync time, within these bounds:

* not later than the server's now plus ``SKEW`` (a phone clock a little fast); a time in
  that allowance is recorded as now, so nothing is ever stamped in the future;
* not earlier than the order's last state change (the arrival before a step, the departure
  before an arrival): the phone saw that change before the tap. A time up to ``SKEW`` before
  it (a phone clock a little slow) is recorded as that change's time;
* not older than ``MAX_AGE``: a queue left on a phone for days is not a record of today.

A refused time is a ``ValidationFailed`` naming the field ``at``; no ``at`` means now.
"""

from __future__ import annotations

import datetime as dt

from guifan.clock import ZONE
from guifan.errors import ValidationFailed

SKEW = dt.timedelta(minutes=2)
MAX_AGE = dt.timedelta(hours=12)


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed("sync.at", message, field="at")


def tap_time_parse(value: object) -> dt.datetime | None:
    """The aware time in ``value`` (None when absent), or a refusal naming ``at``."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise _refused("操作时间须为带时区的 ISO 8601 时间")
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _refused("操作时间须为带时区的 ISO 8601 时间") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise _refused("操作时间须带时区")
    return at.astimezone(dt.UTC)


def tap_time_check(at: dt.datetime, *, now: dt.datetime, since: dt.datetime | None) -> dt.datetime:
    """The time to record for a tap at ``at``; ``since`` is the order's last state change."""
    if at > now + SKEW:
        raise _refused("操作时间晚于服务器时间，请校准手机时间")
    if at < now - MAX_AGE:
        hours = int(MAX_AGE.total_seconds() // 3600)
        raise _refused(f"操作时间早于 {hours} 小时前，不再同步")
    if since is not None and at < since:
        if at < since - SKEW:
            local = since.astimezone(ZONE).strftime("%H:%M:%S")
            raise _refused(f"操作时间早于工单上次状态变更（{local}）")
        at = since
    return min(at, now)
