"""Chasers, complaint risk and hard faults on an order (QA-05).

The quality centre chases an order (催单); a technician (or the area's dispatcher) reports a
complaint risk or a hard fault; the quality centre may report those too. Each raises the
order's priority on the dispatch board (an ``OrderEvent`` "priority_alert" the board reads).

The verdict (ADR 0020):
- a complaint risk or a hard fault reported from the field is **kept** when reported while
  the order is still open or within ``report_within_minutes`` of the visit's completion (the
  seed's "immediately"), **broken** when later; one the quality centre found itself is
  recorded without a verdict (nothing shows the technician saw it coming);
- a chaser is judged at the visit's completion: **kept** when the customer signed and was not
  unhappy (handled and calmed on site), **broken** otherwise; an order cancelled before a
  visit leaves it unjudged.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.cases.models import AlertKind, OrderAlert
from guifan.apps.fieldwork.models import VisitRating, VisitSignature
from guifan.apps.fieldwork.services.steps import UNSATISFIED_SCORE
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.lifecycle import OPEN_STATUSES
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.clock import now as clock_now
from guifan.errors import PermissionDenied, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason
from guifan.textinput import text_check

PRIORITY_EVENT = "priority_alert"
CENTRE_ROLES = (Role.QUALITY, Role.ADMIN, Role.SYSTEM)


@transaction.atomic
def alert_report(*, order_id: int, kind: str, note: str, by: User) -> OrderAlert:
    """Report ``kind`` on the order; technicians on their own orders, dispatchers in their
    areas (complaint risk, hard fault), the quality centre on every order (all three)."""
    if kind not in AlertKind.values:
        raise ValidationFailed(
            "alert.kind",
            f"未知报备类型 {kind!r}，可选：{'、'.join(AlertKind.values)}",
            field="kind",
            rule="QA-05",
        )
    if kind == AlertKind.CHASER and by.role not in CENTRE_ROLES and not by.is_superuser:
        raise PermissionDenied(
            "alert.chaser", "催单由服务质量监督中心发起", field="kind", rule="QA-05"
        )
    order = order_lock(order_id, by=by, act=Act.READ)
    now = clock_now()
    alert = OrderAlert.objects.create(
        order=order,
        kind=kind,
        reported_at=now,
        reported_by=by,
        note=text_check(note, field="note").strip(),
    )
    event_record(
        order,
        action=PRIORITY_EVENT,
        at=now,
        by=by,
        msg="event.priority_alert_note" if alert.note else "event.priority_alert",
        args={"alert_kind": kind, **({"note": alert.note} if alert.note else {})},
        detail={"kind": kind, "alert": alert.id},
    )
    if kind != AlertKind.CHASER and by.role in (Role.TECHNICIAN, Role.DISPATCHER):
        _judge_report(alert, order, now, by)
    return alert


def _judge_report(alert: OrderAlert, order: WorkOrder, now: dt.datetime, by: User) -> None:
    minutes = float(norms_snapshot().param("QA-05", "report_within_minutes"))
    kind = str(alert.kind)
    if order.status in OPEN_STATUSES or order.completed_at is None:
        why = reason("qa05.reported_while_open", alert_kind=kind)
        verdict = Verdict.keep("QA-05", why, kind=alert.kind)
    else:
        late = (now - order.completed_at).total_seconds() / 60
        if late <= minutes:
            why = reason("qa05.reported_after_completion", alert_kind=kind, late=late)
            verdict = Verdict.keep("QA-05", why)
        else:
            why = reason("qa05.reported_late", alert_kind=kind, late=late)
            verdict = Verdict.broke("QA-05", why)
    alert.verdict_kept = verdict.kept
    alert.save(update_fields=["verdict_kept"])
    verdict_record(order, verdict, at=now, by=by)


def chasers_judge(order: WorkOrder, *, at: dt.datetime, by: User | None) -> int:
    """At the visit's completion: was each chaser handled on site (signed, not unhappy)?"""
    chasers = list(OrderAlert.objects.filter(order=order, kind=AlertKind.CHASER, verdict_kept=None))
    if not chasers:
        return 0
    rating = VisitRating.objects.filter(order=order).first()
    signed = VisitSignature.objects.filter(order=order).exists()
    calm = signed and rating is not None and rating.score > UNSATISFIED_SCORE
    if calm:
        verdict = Verdict.keep("QA-05", reason("qa05.chaser_calmed"))
    else:
        verdict = Verdict.broke("QA-05", reason("qa05.chaser_unresolved"))
    OrderAlert.objects.filter(id__in=[c.id for c in chasers]).update(verdict_kept=calm)
    verdict_record(order, verdict, at=at, by=by)
    return len(chasers)
