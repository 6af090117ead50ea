"""Timer kinds of the dispatch app: the night-before plan of every area, and its sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.dispatch.batches import (
    NIGHT_KIND,
    SWEEP_KIND,
    night_plan_arm,
    plan_sweep,
    province_plan_start,
)
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.clock import local


@handler(NIGHT_KIND, "夜间排程")
def night_plan(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Queue the day's plan for every area and arm the next night's timer.

    A timer fired after its day began (the workers were down all night) plans nothing for the
    past and arms the next night from today, so the chain is never broken.
    """
    day = dt.date.fromisoformat(timer.payload["day"])
    today = local(now).date()
    runs = 0
    if day >= today:
        batch = province_plan_start(day=day, by=None, now=now)
        runs = batch.runs.count()
    following = max(day, today) + dt.timedelta(days=1)
    night_plan_arm(day=following)
    return {"day": day.isoformat(), "runs": runs, "next": following.isoformat()}


@handler(SWEEP_KIND, "排程补跑")
def sweep(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Queue again the runs of a batch whose worker died mid-plan (``batches.plan_sweep``)."""
    return plan_sweep(batch_id=int(timer.payload["batch"]), now=now)
