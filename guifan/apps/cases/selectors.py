"""Reads of cases: the list (open first, overdue flagged) and one case with its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from guifan.apps.accounts.models import User
from guifan.apps.cases.access import case_q, case_require, not_found
from guifan.apps.cases.models import Case, CaseEvent, CaseStatus
from guifan.apps.customers.masking import mask_phone


@dataclass(frozen=True, slots=True)
class CaseRow:
    case: Case
    due: dt.datetime | None  # the promise (reply_by) or the next re-contact
    overdue: bool
    age_hours: float
    phone: str  # masked (SEC-01)
    customer: str


def case_qs(*, by: User | None) -> QuerySet[Case]:
    return (
        Case.objects.filter(case_q(by))
        .select_related("order__customer", "order__area", "hall", "owner")
        .annotate(
            last_missed=Max("events__at", filter=Q(events__action="missed")),
            last_contact=Max("events__at", filter=Q(events__action="contact")),
        )
    )


def _missed_since_contact(c: Case) -> bool:
    """A re-contact was missed and nobody has contacted the customer since (QA-02)."""
    missed = getattr(c, "last_missed", None)
    contact = getattr(c, "last_contact", None)
    return missed is not None and (contact is None or contact < missed)


def _row(c: Case, now: dt.datetime) -> CaseRow:
    due = c.reply_by if c.kind != "QA-02" else c.next_contact_at
    is_open = c.status == CaseStatus.OPEN
    end = now if is_open or c.closed_at is None else c.closed_at
    if c.order_id and c.order:
        customer = f"{c.order.customer.name[:1]}{c.order.customer.title}"
        phone = c.order.customer.masked_phone
    else:
        customer, phone = c.customer_name, mask_phone(c.customer_phone) if c.customer_phone else ""
    return CaseRow(
        case=c,
        due=due if is_open else None,
        overdue=is_open and ((due is not None and due < now) or _missed_since_contact(c)),
        age_hours=round((end - c.opened_at).total_seconds() / 3600, 1),
        phone=phone,
        customer=customer,
    )


def case_list(
    *, by: User | None, now: dt.datetime, kind: str = "", status: str = "", limit: int = 200
) -> list[CaseRow]:
    """Open cases first (overdue first among them, then oldest), then the closed, newest first."""
    qs = case_qs(by=by)
    if kind:
        qs = qs.filter(kind=kind)
    if status == "open":
        qs = qs.filter(status=CaseStatus.OPEN)
    elif status == "closed":
        qs = qs.exclude(status=CaseStatus.OPEN)
    opened = [_row(c, now) for c in qs.filter(status=CaseStatus.OPEN).order_by("opened_at", "id")]
    opened.sort(key=lambda r: (not r.overdue, r.case.opened_at))
    closed = [
        _row(c, now)
        for c in qs.exclude(status=CaseStatus.OPEN).order_by("-closed_at", "-id")[:limit]
    ]
    return (opened + closed)[:limit]


def case_get(*, case_id: int, by: User | None, now: dt.datetime) -> tuple[CaseRow, list[CaseEvent]]:
    """One case ``by`` may see, with its timeline (404 otherwise)."""
    c = case_qs(by=by).filter(id=case_id).first()
    if c is None:
        raise not_found(case_id)
    case_require(c, by=by, write=False)
    events = list(CaseEvent.objects.filter(case=c).select_related("by").order_by("at", "id"))
    return _row(c, now), events
