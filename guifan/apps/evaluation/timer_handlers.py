"""The planner: each evening a plan samples the day's interactions, then re-arms for tomorrow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.evaluation.models import Plan
from guifan.apps.evaluation.services import plan_run, plan_timer_arm
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler


@handler("evaluation.plan_run", "抽检计划执行")
def on_plan_run(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    day = dt.date.fromisoformat(timer.payload["day"])
    plan = Plan.objects.filter(id=timer.payload["plan_id"]).first()
    if plan is None or not plan.active:
        return {"sampled": 0, "active": False}
    made = plan_run(plan_id=plan.id, day=day, by=None)
    plan_timer_arm(plan, day + dt.timedelta(days=1))
    return {"sampled": len(made)}
