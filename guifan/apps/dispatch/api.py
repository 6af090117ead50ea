"""/api/v1/dispatch: plan a service area's day; start and follow a province's plans."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.batches import (
    BatchProgress,
    province_plan_progress,
    province_plan_start,
)
from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.dispatch.tasks import dispatch_plan_task
from guifan.apps.workforce.access import area_get_for
from guifan.clock import local
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


class ProvincePlanIn(Schema):
    date: Day
    kind: Literal["plan", "replan"] = "plan"
    # The areas to plan (each one the caller dispatches); none: every area the caller may.
    areas: list[Annotated[str, Text(20)]] | None = Field(None, max_length=5000)


class RunOut(Schema):
    area: str
    status: str
    attempts: int
    assigned: int | None
    unassigned: int | None
    skipped: int | None
    reason_code: str
    reason: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class BatchOut(Schema):
    key: str | None
    kind: str
    day: dt.date
    counts: dict[str, int]
    assigned: int
    unassigned: int
    finished: bool
    runs: list[RunOut]


def _batch_out(progress: BatchProgress, kind: str, day: dt.date) -> dict[str, Any]:
    return {
        "key": progress.batch.key if progress.batch else None,
        "kind": kind,
        "day": day,
        "counts": progress.counts,
        "assigned": progress.assigned,
        "unassigned": progress.unassigned,
        "finished": progress.finished,
        "runs": [
            {
                "area": r.area.code,
                "status": r.status,
                "attempts": r.attempts,
                "assigned": r.assigned,
                "unassigned": r.unassigned,
                "skipped": r.skipped,
                "reason_code": r.reason_code,
                "reason": r.reason,
                "started_at": r.started_at,
                "finished_at": r.finished_at,
            }
            for r in progress.runs
        ],
    }


@router.post("/province-plans", response={202: BatchOut})
def province_plan_create(request: HttpRequest, body: ProvincePlanIn) -> Any:
    """Queue one background plan per area for the day (idempotent: the same batch again)."""
    user = request_user(request, Role.DISPATCHER, Role.SYSTEM)
    province_plan_start(day=body.date, by=user, now=clock_now(), kind=body.kind, areas=body.areas)
    progress = province_plan_progress(day=body.date, by=user, kind=body.kind)
    return Status(202, _batch_out(progress, body.kind, body.date))


@router.get("/province-plans", response=BatchOut)
def province_plan_read(
    request: HttpRequest, date: Day | None = None, kind: Literal["plan", "replan"] = "plan"
) -> Any:
    """The day's latest batch (default: tomorrow's plan): a row per area the caller dispatches."""
    user = request_user(request, Role.DISPATCHER, Role.SYSTEM)
    day = date or local(clock_now()).date() + dt.timedelta(days=1)
    return _batch_out(province_plan_progress(day=day, by=user, kind=kind), kind, day)
