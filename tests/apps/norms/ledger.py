"""Hand-built NormCheck ledgers for the compliance selectors, pages and browser journey."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.accounts.models import User
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import WorkOrder
from guifan.apps.workforce.models import Technician
from guifan.clock import at_local
from tests import factories as f

TODAY = dt.date(2025, 6, 2)  # the clock fixture's day


def check(
    norm_id: str,
    kept: bool,
    day: dt.date = TODAY,
    hhmm: str = "09:00",
    *,
    area: str = "A01",
    person: str = "",
    order: WorkOrder | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> NormCheck:
    return NormCheck.objects.create(
        norm_id=norm_id,
        kept=kept,
        at=at_local(day, hhmm),
        area_code=area,
        person=person,
        order=order,
        reason=reason or ("按规范" if kept else "未按规范"),
        detail=detail or {},
    )


def tech(
    badge: str, name: str, *, team: str = "", area: str = "A01", login: str = ""
) -> Technician:
    user = User.objects.create_user(login, role="technician") if login else None
    return Technician.objects.create(
        user=user,
        name=name,
        badge_no=badge,
        phone="13800000000",
        area=f.area(area),
        team=team,
        home_lat=30.6,
        home_lon=104.0,
    )
