"""The interactions an evaluator can score: what happened, who did it, where, when.

Reads only (below services and selectors). A transcript is a ``compliance.TranscriptCheck``,
a visit a completed ``orders.WorkOrder`` with its checklist step records, a ticket a finished
``hall.Ticket``; the person is the technician's badge or the clerk's username.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.evaluation.models import Kind
from guifan.apps.fieldwork.models import StepRecord
from guifan.apps.hall.models import Ticket, TicketStatus
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import WorkOrder
from guifan.clock import at_local
from guifan.errors import NotFound


@dataclass(frozen=True, slots=True)
class Interaction:
    kind: str
    object_id: int
    person: str
    area_code: str
    at: dt.datetime
    order_id: int | None = None
    label: str = ""
    facts: dict[str, Any] = field(default_factory=dict)  # what an evaluator looks at


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = at_local(day, "00:00")
    return start, start + dt.timedelta(days=1)


def _transcript(t: TranscriptCheck) -> Interaction:
    return Interaction(
        kind=Kind.TRANSCRIPT,
        object_id=t.id,
        person=t.person,
        area_code=t.area_code,
        at=t.at,
        order_id=t.order_id,
        label=f"{t.channel} {t.moment}".strip(),
        facts={
            "channel": t.channel,
            "moment": t.moment,
            "turns": t.turns,
            "findings": t.findings,
            "missing": t.missing,
            "courtesy": t.courtesy,
            "score": t.score,
        },
    )


def _visit(o: WorkOrder) -> Interaction:
    assert o.completed_at is not None and o.technician is not None
    steps: dict[str, dict[str, Any]] = {}
    for r in StepRecord.objects.filter(order=o).order_by("at", "id"):
        steps[r.norm_id] = {"outcome": r.outcome, "shortfalls": r.shortfalls}
    return Interaction(
        kind=Kind.VISIT,
        object_id=o.id,
        person=o.technician.badge_no,
        area_code=o.area.code,
        at=o.completed_at,
        order_id=o.id,
        label=o.number,
        facts={"number": o.number, "kind": o.kind, "steps": steps},
    )


def _ticket_person(t: Ticket) -> str:
    """Who served the ticket: the clerk whose start of service was judged (HAL-02)."""
    if t.started_at is not None:
        person = (
            NormCheck.objects.filter(
                norm_id="HAL-02",
                at=t.started_at,
                area_code=t.hall.code,
                reason__startswith=t.code,
            )
            .exclude(person="")
            .values_list("person", flat=True)
            .first()
        )
        if person:
            return person
    staff = t.counter.staff if t.counter_id and t.counter else None
    return staff.username if staff else ""


def _ticket(t: Ticket) -> Interaction:
    assert t.finished_at is not None
    return Interaction(
        kind=Kind.TICKET,
        object_id=t.id,
        person=_ticket_person(t),
        area_code=t.hall.code,
        at=t.finished_at,
        label=f"{t.hall.code} {t.code}",
        facts={
            "code": t.code,
            "category": t.category,
            "counter": t.counter.number if t.counter else None,
            "transcripts": [
                {"findings": x.findings, "missing": x.missing, "score": x.score}
                for x in TranscriptCheck.objects.filter(ticket=t).order_by("id")
            ],
        },
    )


def interactions_of_day(kind: str, day: dt.date) -> list[Interaction]:
    """Every interaction of ``kind`` that ended on ``day`` (local) and names a person."""
    start, end = _bounds(day)
    if kind == Kind.TRANSCRIPT:
        found = [
            _transcript(t)
            for t in TranscriptCheck.objects.filter(at__gte=start, at__lt=end)
            .exclude(person="")
            .order_by("id")
        ]
    elif kind == Kind.VISIT:
        found = [
            _visit(o)
            for o in WorkOrder.objects.filter(
                completed_at__gte=start, completed_at__lt=end, technician__isnull=False
            )
            .select_related("technician", "area")
            .order_by("id")
        ]
    else:
        found = [
            _ticket(t)
            for t in Ticket.objects.filter(
                status=TicketStatus.DONE, finished_at__gte=start, finished_at__lt=end
            )
            .select_related("hall", "counter__staff")
            .order_by("id")
        ]
    return [i for i in found if i.person]


def interaction_get(kind: str, object_id: int) -> Interaction:
    """One interaction, or 404 naming it."""
    missing = NotFound(
        "evaluation.no_interaction", f"评估对象 {kind}:{object_id} 不存在", field="object_id"
    )
    if kind == Kind.TRANSCRIPT:
        t = TranscriptCheck.objects.filter(id=object_id).first()
        if t is None:
            raise missing
        return _transcript(t)
    if kind == Kind.VISIT:
        o = (
            WorkOrder.objects.select_related("technician", "area")
            .filter(id=object_id, completed_at__isnull=False, technician__isnull=False)
            .first()
        )
        if o is None:
            raise missing
        return _visit(o)
    if kind == Kind.TICKET:
        ticket = (
            Ticket.objects.select_related("hall", "counter__staff")
            .filter(id=object_id, status=TicketStatus.DONE)
            .first()
        )
        if ticket is None:
            raise missing
        return _ticket(ticket)
    raise missing
