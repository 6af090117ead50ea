"""Background planning: the night-before plan and re-plans run on the worker per area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from guifan.apps.dispatch.services import dispatch_plan
from guifan.clock import now as clock_now


@task()
def dispatch_plan_task(area_code: str, day: str) -> dict[str, Any]:
    """Plan one service area's day (arguments are JSON: the area code and an ISO date)."""
    result = dispatch_plan(
        area_code=area_code, day=dt.date.fromisoformat(day), now=clock_now(), by=None
    )
    return {
        "assigned": result.assigned,
        "unassigned": [[o, r] for o, r in result.unassigned],
        "skipped": [[o, r] for o, r in result.skipped],
    }
