"""Reads of the worklist: due first, overdue flagged; one callback with its form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from guifan.apps.accounts.auth import require_role
from guifan.apps.accounts.models import Role, User
from guifan.apps.callcentre.choices import CallbackStatus, Outcome, Purpose, form_for
from guifan.apps.callcentre.models import Callback
from guifan.apps.callcentre.surveys import survey_current
from guifan.errors import NotFound

AGENTS = (Role.QUALITY, Role.SYSTEM)


def callback_qs(*, by: User) -> QuerySet[Callback]:
    require_role(by, *AGENTS)  # the quality centre sees every order (orders.access)
    return Callback.objects.select_related(
        "order", "order__customer", "order__area", "order__technician", "owner"
    )


def callback_list(
    *, by: User, status: str = CallbackStatus.OPEN, mine: bool = False, limit: int = 200
) -> list[Callback]:
    qs = callback_qs(by=by)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(owner=by) | Q(owner__isnull=True))
    return list(qs.order_by("due_at", "id")[:limit])


def callback_get(*, by: User, callback_id: int) -> Callback:
    callback = callback_qs(by=by).filter(id=callback_id).first()
    if callback is None:
        raise NotFound("callback.not_found", f"回访任务 {callback_id} 不存在", field="callback_id")
    return callback


def callback_form(callback: Callback) -> dict[str, Any]:
    version = survey_current(form_for(callback.purpose))
    return {
        "code": version.form.code,
        "title": version.form.title,
        "version": version.version,
        "needs_visit": version.form.needs_visit,
        "questions": version.questions,
    }


def callback_view(callback: Callback, *, now: dt.datetime) -> dict[str, Any]:
    order = callback.order
    return {
        "id": callback.id,
        "order_id": order.id,
        "order_number": order.number,
        "purpose": callback.purpose,
        "purpose_label": callback.get_purpose_display(),
        "norm_id": callback.norm_id,
        "due_at": callback.due_at,
        "overdue": callback.overdue
        or (callback.status == CallbackStatus.OPEN and now > callback.due_at),
        "status": callback.status,
        "outcome": callback.outcome,
        "owner": callback.owner.username if callback.owner else None,
        "answered_at": callback.answered_at,
        "revisit_booked": callback.revisit_booked,
        "customer_name": order.customer.name,
        "phone_masked": order.customer.masked_phone,
        "area": order.area.code,
        "technician": order.technician.badge_no if order.technician else None,
        "attempts": [
            {"at": a.at, "reached": a.reached, "note": a.note, "by": a.by.username}
            for a in callback.attempts.select_related("by")
        ],
    }


def callback_summary() -> dict[str, Any]:
    """Counts for the report: due, answered on time / late, audits, false closures."""
    qs = Callback.objects.all()
    answered = qs.filter(status=CallbackStatus.ANSWERED)
    by_purpose = {
        row["purpose"]: {
            "due": row["due"],
            "answered_on_time": row["on_time"],
            "answered_late": row["late"],
        }
        for row in qs.values("purpose").annotate(
            due=Count("id"),
            on_time=Count("id", filter=Q(status="answered", answered_at__lte=F("due_at"))),
            late=Count("id", filter=Q(status="answered", answered_at__gt=F("due_at"))),
        )
    }
    return {
        "callbacks_due": qs.count(),
        "answered_on_time": answered.filter(answered_at__lte=F("due_at")).count(),
        "answered_late": answered.filter(answered_at__gt=F("due_at")).count(),
        "open": qs.filter(status=CallbackStatus.OPEN).count(),
        "attempts_unreached": qs.filter(attempts__reached=False).count(),
        "audits": qs.filter(purpose=Purpose.AUDIT).count(),
        "audits_answered": answered.filter(purpose=Purpose.AUDIT).count(),
        "false_closures": qs.filter(outcome=Outcome.FALSE_CLOSURE).count(),
        "unhappy": qs.filter(outcome=Outcome.UNHAPPY).count(),
        "revisits_booked": qs.filter(revisit_booked=True).count(),
        "by_purpose": by_purpose,
    }
