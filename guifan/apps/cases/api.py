"""The cases API: complaints and alerts on an order (QA-03, QA-05) and the case worklist
(QA-02 follow-ups, QA-03 and HAL-08 complaints). Mounted in ``guifan.api``: ``orders_router``
under /orders, ``router`` under /cases."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.cases import schemas as s
from guifan.apps.cases import services
from guifan.apps.cases.alerts import alert_report
from guifan.apps.cases.models import CaseEvent
from guifan.apps.cases.selectors import CaseRow, case_get, case_list
from guifan.clock import now as clock_now

# Who works field cases (the hall answers its own complaints on the hall pages).
WORK = (Role.QUALITY, Role.DISPATCHER, Role.TECHNICIAN, Role.SYSTEM)

router = Router(auth=TokenAuth(), tags=["cases"])
orders_router = Router(auth=TokenAuth(), tags=["cases"])


def _out(row: CaseRow, events: list[CaseEvent] | None = None) -> dict[str, Any]:
    c = row.case
    return {
        "id": c.id,
        "kind": c.kind,
        "channel": c.channel,
        "source": c.source,
        "status": c.status,
        "order_id": c.order_id,
        "hall": c.hall.code if c.hall_id and c.hall else None,
        "owner": c.owner.username if c.owner_id and c.owner else None,
        "opened_at": c.opened_at,
        "reply_by": c.reply_by,
        "next_contact_at": c.next_contact_at,
        "escalation": c.escalation,
        "missed_contacts": c.missed_contacts,
        "steps": c.steps,
        "outcome": c.outcome,
        "closed_at": c.closed_at,
        "confirmed_at": c.confirmed_at,
        "confirmed_by": c.confirmed_by,
        "confirmed_via": c.confirmed_via,
        "overdue": row.overdue,
        "customer": row.customer,
        "phone": row.phone,
        "verdict_kept": c.verdict_kept,
        "events": [
            {"at": e.at, "action": e.action, "note": e.note, "by": e.by.username if e.by else ""}
            for e in events or []
        ],
    }


def _one(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = request_user(request, *WORK)
    row, events = case_get(case_id=case_id, by=user, now=clock_now())
    return _out(row, events)


@orders_router.post("/{order_id}/complaints", response={201: s.CaseOut})
def complaint_create(request: HttpRequest, order_id: int, body: s.ComplaintIn) -> Status[Any]:
    """A complaint received in the field (QA-03): whoever records it owns it."""
    user = request_user(request, Role.TECHNICIAN, Role.DISPATCHER, Role.QUALITY)
    case = services.complaint_open(
        order_id=order_id,
        summary=body.summary,
        steps=body.steps,
        reply_by=body.reply_by,
        customer_name=body.customer_name,
        by=user,
    )
    return Status(201, _one(request, case.id))


@orders_router.post("/{order_id}/alerts", response={201: s.AlertOut})
def alert_create(request: HttpRequest, order_id: int, body: s.AlertIn) -> Status[Any]:
    """A chaser (quality centre), complaint risk or hard fault (QA-05): raises the order's
    priority on the dispatch board."""
    user = request_user(request, Role.QUALITY, Role.TECHNICIAN, Role.DISPATCHER, Role.SYSTEM)
    a = alert_report(order_id=order_id, kind=body.kind, note=body.note, by=user)
    return Status(
        201,
        {
            "id": a.id,
            "order_id": a.order_id,
            "kind": a.kind,
            "reported_at": a.reported_at,
            "verdict_kept": a.verdict_kept,
        },
    )


@router.get("", response=list[s.CaseOut])
def cases_list(request: HttpRequest, kind: str = "", status: str = "") -> list[dict[str, Any]]:
    """The cases the caller may see: open first (overdue first), then closed."""
    user = request_user(request, *WORK)
    return [_out(r) for r in case_list(by=user, now=clock_now(), kind=kind, status=status)]


@router.get("/{case_id}", response=s.CaseOut)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _one(request, case_id)


@router.post("/{case_id}/contacts", response=s.CaseOut)
def case_contact(request: HttpRequest, case_id: int, body: s.CaseContactIn) -> dict[str, Any]:
    """A re-contact (reached or not); ``satisfied: true`` records the confirmation."""
    user = request_user(request, *WORK)
    services.case_contact_record(
        case_id=case_id,
        reached=body.reached,
        satisfied=body.satisfied,
        note=body.note,
        via=body.via,
        who=body.who,
        by=user,
    )
    return _one(request, case_id)


@router.post("/{case_id}/confirmation", response=s.CaseOut)
def case_confirmation(request: HttpRequest, case_id: int, body: s.CaseConfirmIn) -> dict[str, Any]:
    user = request_user(request, *WORK)
    services.case_confirm(case_id=case_id, who=body.who, via=body.via, by=user)
    return _one(request, case_id)


@router.post("/{case_id}/close", response=s.CaseOut)
def case_close(request: HttpRequest, case_id: int, body: s.CloseIn) -> dict[str, Any]:
    """Close; a QA-02 case without the customer's confirmation is refused (422, QA-02)."""
    user = request_user(request, *WORK)
    services.case_close(case_id=case_id, outcome=body.outcome, status=body.status, by=user)
    return _one(request, case_id)


@router.post("/{case_id}/escalate", response=s.CaseOut)
def case_escalate(request: HttpRequest, case_id: int, body: s.NoteIn) -> dict[str, Any]:
    user = request_user(request, *WORK)
    services.case_escalate(case_id=case_id, note=body.note, by=user)
    return _one(request, case_id)


@router.post("/{case_id}/steps", response=s.CaseOut)
def case_steps(request: HttpRequest, case_id: int, body: s.StepsIn) -> dict[str, Any]:
    user = request_user(request, *WORK)
    services.complaint_steps_record(case_id=case_id, steps=body.steps, by=user)
    return _one(request, case_id)


@router.post("/{case_id}/revisit", response={201: s.RevisitOut})
def case_revisit(request: HttpRequest, case_id: int, body: s.NoteIn) -> Status[Any]:
    """Book a re-visit from the case: a new repair order at the same address."""
    user = request_user(request, Role.QUALITY, Role.DISPATCHER)
    order = services.case_revisit(case_id=case_id, note=body.note, by=user)
    return Status(201, {"order_id": order.id, "number": order.number})
