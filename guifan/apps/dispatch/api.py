"""/api/v1/dispatch: plan a service area's day."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.dispatch.tasks import dispatch_plan_task
from guifan.apps.workforce.access import area_get_for
from guifan.clock import now as clock_now
from guifan.textinput import Day, Text

router = Router(auth=TokenAuth(), tags=["dispatch"])


class PlanIn(Schema):
    area: Annotated[str, Text(20)]
    date: Day
    background: bool = False


class QueuedOut(Schema):
    task_id: str
    status: str


class PlanOut(Schema):
    assigned: int
    unassigned: list[dict[str, Any]]
    skipped: list[dict[str, Any]]  # orders changed while the plan was solved: left alone


@router.post("/plans", response={200: PlanOut, 202: QueuedOut})
def plan_create(request: HttpRequest, body: PlanIn) -> Any:
    user = request_user(request, Role.DISPATCHER, Role.SYSTEM)
    area_get_for(by=user, code=body.area)  # before queueing: the task runs as the system
    if body.background:
        queued = dispatch_plan_task.enqueue(body.area, body.date.isoformat())
        return Status(202, {"task_id": str(queued.id), "status": str(queued.status)})
    result = dispatch_plan(area_code=body.area, day=body.date, now=clock_now(), by=user)
    return {
        "assigned": result.assigned,
        "unassigned": [{"order_id": o, "reason": r} for o, r in result.unassigned],
        "skipped": [{"order_id": o, "reason": r} for o, r in result.skipped],
    }
