"""The two records every case service writes: a timeline line and the norm's verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.accounts.models import User
from guifan.apps.cases.models import Case, CaseEvent
from guifan.apps.norms.services import norm_check_record
from guifan.apps.workforce.models import Technician
from guifan.norms import Verdict


def case_event(
    case: Case,
    action: str,
    *,
    at: dt.datetime,
    by: User | None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, action=action, at=at, by=by, note=note[:500], detail=detail or {}
    )


def person_of(user: User | None) -> str:
    """The NormCheck person: a technician's badge, anyone else's username."""
    if user is None:
        return ""
    badge = Technician.objects.filter(user=user).values_list("badge_no", flat=True).first()
    return badge or user.username


def case_verdict(case: Case, verdict: Verdict, *, at: dt.datetime, by: User | None) -> None:
    """Record the case's verdict once (the ledger, the case and its timeline)."""
    if case.verdict_kept is not None:
        return
    area = case.hall.code if case.hall_id and case.hall else ""
    if case.order_id and case.order:
        area = case.order.area.code
    norm_check_record(
        verdict=verdict, at=at, order_id=case.order_id, area_code=area, person=person_of(case.owner)
    )
    case.verdict_kept = verdict.kept
    case.save(update_fields=["verdict_kept"])
    detail = {"kept": verdict.kept, **verdict.message()}
    case_event(case, "verdict", at=at, by=by, note=verdict.reason, detail=detail)
