"""The stars app's durable timers: the monthly recompute and the yearly opening of quotas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.stars.services import (
    RECOMPUTE_TIMER,
    YEAR_OPEN_TIMER,
    entitlements_year_open,
    star_recompute,
    stars_timers_arm,
)
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler


@handler(RECOMPUTE_TIMER, "星级月度重算")
def recompute(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """STAR-01: every member's level on the first of the month, then the next month's timer."""
    changed = star_recompute(at=now)
    stars_timers_arm(now)
    return {"changed": changed}


@handler(YEAR_OPEN_TIMER, "星级权益年度开放")
def year_open(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """STAR-02: the new year's quotas (last year's balances stay as the record)."""
    opened = entitlements_year_open(year=int(timer.payload["year"]), at=now)
    stars_timers_arm(now)
    return {"opened": opened}
