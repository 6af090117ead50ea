"""/api/v1/dispatch: plan a service area's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import now as clock_now
from guifan.errors import NotFound

router = Router(auth=TokenAuth(), tags=["dispatch"])


class PlanIn(Schema):
    area: str
    date: dt.date


class PlanOut(Schema):
    assigned: int
    unassigned: list[dict[str, Any]]


@router.post("/plans", response=PlanOut)
def plan_create(request: HttpRequest, body: PlanIn) -> dict[str, Any]:
    user = request_user(request, Role.DISPATCHER, Role.SYSTEM)
    if not ServiceArea.objects.filter(code=body.area).exists():
        raise NotFound("area.not_found", f"服务片区 {body.area!r} 不存在", field="area")
    result = dispatch_plan(area_code=body.area, day=body.date, now=clock_now(), by=user)
    return {
        "assigned": result.assigned,
        "unassigned": [{"order_id": o, "reason": r} for o, r in result.unassigned],
    }
