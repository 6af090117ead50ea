"""Background planning: the night-before plan and re-plans run on the worker per area."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from django_tasks import task

from guifan.apps.dispatch.runs import plan_run_execute
from guifan.apps.dispatch.services import dispatch_plan
from guifan.clock import SystemClock
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


@task()
def plan_run_task(run_id: int) -> dict[str, Any]:
    """Plan one area of a province batch (``dispatch.runs``); a busy area is queued again."""
    outcome = plan_run_execute(
        run_id=run_id, worker=f"{socket.gethostname()}-{os.getpid()}", now=clock_now()
    )
    if outcome.status == "retry":
        # Real time, not the injected clock: the queue's run_after is read against it.
        later = SystemClock().now() + dt.timedelta(seconds=outcome.retry_after)
        plan_run_task.using(run_after=later).enqueue(run_id)
    return {"run": run_id, "outcome": outcome.status}
