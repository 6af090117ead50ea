"""The assessment API under /assessment: scorecards and the morning meeting (read), and the
quality centre's records: certificates, training, corrective actions, partner sanctions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.assessment import schemas as s
from guifan.apps.assessment import services
from guifan.apps.assessment.selectors import (
    LEVELS,
    PERIODS,
    Card,
    Period,
    morning_meeting,
    scorecard,
)
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.textinput import Day

READERS = (Role.QUALITY, Role.DUTY_MANAGER, Role.DISPATCHER, Role.SYSTEM)
RECORDERS = (Role.QUALITY, Role.SYSTEM)

router = Router(auth=TokenAuth(), tags=["assessment"])


def card_out(c: Card) -> dict[str, Any]:
    return {
        "key": c.key,
        "label": c.label or c.key,
        "team": c.team,
        "checked": c.checked,
        "kept": c.kept,
        "rate": c.rate,
        "satisfaction": c.satisfaction,
        "ratings": c.ratings,
        "complaints": c.complaints,
        "false_closures": c.false_closures,
        "overdue_personal": c.overdue_personal,
        "red_lines": c.red_lines,
        "refusals": c.refusals,
    }


@router.get("/scorecards", response=list[s.CardOut])
def scorecards(
    request: HttpRequest, level: str = "person", period: str = "day", date: Day | None = None
) -> list[dict[str, Any]]:
    """One scorecard table (person, team, area, clerk) for a day or the day's month."""
    request_user(request, *READERS)
    if level not in LEVELS:
        raise ValidationFailed("scorecard.level", f"层级须为 {'、'.join(LEVELS)}", field="level")
    if period not in PERIODS:
        raise ValidationFailed("scorecard.period", "周期须为 day 或 month", field="period")
    day = date or local(clock_now()).date()
    return [card_out(c) for c in scorecard(level, Period.of(period, day))]


@router.get("/morning-meeting", response=s.MeetingOut)
def meeting(request: HttpRequest, date: Day | None = None) -> dict[str, Any]:
    """The morning meeting (QA-08): ``date`` (default yesterday) per team, worst first."""
    request_user(request, *READERS)
    day = date or local(clock_now()).date() - dt.timedelta(days=1)
    return {
        "date": day,
        "teams": [
            {
                "team": card_out(m.team),
                "members": [card_out(c) for c in m.members],
                "items": [
                    {"norm_id": i.norm_id, "title": i.title, "broken": i.broken} for i in m.items
                ],
            }
            for m in morning_meeting(day)
        ],
    }


@router.post("/certificates", response={201: s.CertificateOut})
def certificate(request: HttpRequest, body: s.CertificateIn) -> Status[Any]:
    """Record a certificate (STF-04); expiry before issue is refused (422 naming STF-04)."""
    user = request_user(request, *RECORDERS)
    c = services.certificate_issue(**body.dict(), by=user)
    return Status(
        201,
        {
            "id": c.id,
            "badge_no": body.badge_no,
            "work_type": c.work_type,
            "issued_on": c.issued_on,
            "valid_until": c.valid_until,
        },
    )


@router.post("/trainings", response={201: s.TrainingOut})
def training(request: HttpRequest, body: s.TrainingIn) -> Status[Any]:
    user = request_user(request, *RECORDERS)
    t = services.training_record(**body.dict(), by=user)
    return Status(
        201, {"id": t.id, "person": t.person, "course": t.course, "completed_on": t.completed_on}
    )


@router.post("/actions", response={201: s.ActionOut})
def action(request: HttpRequest, body: s.ActionIn) -> Status[Any]:
    """Open a corrective action or coaching (closed by the supervisor on the actions page)."""
    user = request_user(request, *RECORDERS)
    a = services.action_create(**body.dict(), by=user)
    return Status(
        201,
        {
            "id": a.id,
            "kind": a.kind,
            "person": a.person,
            "norm_id": a.norm_id,
            "finding": a.finding,
            "due_on": a.due_on,
            "status": a.status,
        },
    )


@router.post("/partners", response={201: s.PartnerOut})
def partner(request: HttpRequest, body: s.PartnerIn) -> Status[Any]:
    user = request_user(request, *RECORDERS)
    p = services.partner_join(**body.dict(), by=user)
    return Status(201, {"id": p.id, "code": p.code, "name": p.name, "terminated": p.terminated})


@router.post("/sanctions", response={201: s.SanctionOut})
def sanction(request: HttpRequest, body: s.SanctionIn) -> Status[Any]:
    """A partner crew's red-line breach (STF-06 broken) and the partner's next sanction."""
    user = request_user(request, *RECORDERS)
    x = services.partner_breach_record(**body.dict(), by=user)
    return Status(
        201,
        {"id": x.id, "partner": x.partner.code, "step": x.step, "measure": x.measure, "at": x.at},
    )
