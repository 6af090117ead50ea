"""Order lifecycle services: analysis (ORD-01/02), remote path (ORD-03), cancel, callback, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import ContactPurpose, OrderKind
from guifan.apps.orders.choices import Status as S
from guifan.apps.orders.lifecycle import TRANSITIONS
from guifan.apps.orders.models import Contact, WorkOrder
from guifan.apps.orders.services import visits
from guifan.apps.orders.services.guards import on_site_missing
from guifan.apps.orders.services.records import (
    order_lock,
    refusal_record,
    transition,
    verdict_record,
)
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import now as clock_now
from guifan.errors import RuleViolation, ValidationFailed
from guifan.norms import Verdict, norm_get, rules
from guifan.norms.reasons import both_languages, reason

# Actions with their own service (and rules); the generic transition refuses them.
SPECIAL_ACTIONS = {
    "analyse": "POST /orders/{id}/analysis",
    "schedule": "POST /orders/{id}/appointments",
    "dispatch": "POST /orders/{id}/assign",
    "bring_back": "POST /orders/{id}/bring-back",
    "remote_resolved": "POST /orders/{id}/remote",
    "callback": "POST /orders/{id}/contacts (purpose=callback)",
    "reopen": "POST /callbacks/{id}/revisit",
}


# Ending an on-site visit goes through the field service and its checklist (VIS-04..19): the
# technician's route page, or POST /api/v1/visits/{id}/complete, /door, /exceptions and
# /parts-missing. The refusal says it in words a person reads on any page.
ON_SITE_ACTIONS = {
    "complete": "完工",
    "await_appointment": "改约（无人应门、现场异常或缺件）",
}


class OffChecklist(RuleViolation):
    """The generic transition may not end an on-site visit; carries what the checklist lacks."""

    def __init__(self, order: WorkOrder, action: str, missing: list[dict[str, str]]) -> None:
        steps = "、".join(m["norm"] for m in missing)
        what = ON_SITE_ACTIONS[action]
        super().__init__(
            "visit.use_checklist",
            f"现场工单须在现场服务中按清单{what}，尚缺：{steps}"
            if steps
            else f"现场工单须在现场服务中按清单{what}（清单已齐）",
            rule=missing[0]["norm"] if missing else "VIS-17",
            field="action",
        )
        self.extra = {"missing": missing}
        self.missing = missing


def _refuse_off_checklist(
    order: WorkOrder, action: str, *, at: dt.datetime, by: User | None
) -> None:
    raise OffChecklist(order, action, on_site_missing(order))


@transaction.atomic
def work_order_analyse(*, order_id: int, analysis: dict[str, Any], by: User | None) -> WorkOrder:
    """Record the pre-visit analysis (ORD-02) after the order was verified complete (ORD-01)."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    checklist = norm_get("ORD-02").param("checklist").default
    answered = [k for k in checklist if str(analysis.get(k, "")).strip()]
    missing = [k for k in checklist if k not in answered]
    if order.kind == OrderKind.REPAIR and missing:
        # The items are shown by their names in the catalog's order, never the field names.
        why = reason("ord02.analysis_missing", analysis_items=missing)
        verdict = Verdict.broke("ORD-02", why, missing=len(missing))
    else:
        verdict = Verdict.keep("ORD-02", reason("ord02.analysis_recorded"))
    before = {"analysis": order.analysis}
    order.analysis = {k: analysis[k] for k in analysis if isinstance(k, str)}
    order.save(update_fields=["analysis"])
    audit_record(
        actor=by,
        action="order.analysis",
        obj=order,
        before=before,
        after={"analysis": order.analysis},
    )
    transition(order, "analyse", at=now, by=by)
    verdict_record(order, verdict, at=now, by=by)
    return order


@transaction.atomic
def work_order_remote(*, order_id: int, resolved: bool, channel: str, by: User | None) -> WorkOrder:
    """ORD-03: try phone guidance / remote assistance; if it worked, a timed callback follows."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    if order.kind != OrderKind.REPAIR:
        raise RuleViolation(
            "order.remote_not_repair", "仅维修工单可远程处理", rule="ORD-03", field="order_id"
        )
    if order.status == "analysed":
        transition(
            order, "remote_start", at=now, by=by, msg="remote.via", args={"channel": channel}
        )
    if not resolved:
        return transition(order, "await_appointment", at=now, by=by, msg="remote.unresolved")
    minutes = rules.callback_minutes(service_type=order.service_type, ns=norms_snapshot())
    due = now + dt.timedelta(minutes=minutes)
    order.completed_at = now
    transition(
        order,
        "remote_resolved",
        at=now,
        by=by,
        msg="remote.via",
        args={"channel": channel},
        detail={"callback_due": due.isoformat()},
    )
    timer_schedule(
        kind="ord03.callback_due",
        key=f"ord03:{order.id}",
        due_at=due,
        norm_id="ORD-03",
        order_id=order.id,
    )
    return order


@transaction.atomic
def work_order_cancel(*, order_id: int, reason: str, by: User | None) -> WorkOrder:
    """Cancel; closing as 'no resource' needs the ORD-05 register and the customer notice."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.OFFICE)
    if not reason.strip():
        raise ValidationFailed("order.reason_required", "取消须说明原因", field="reason")
    if reason == "no_resource":
        if not hasattr(order, "resource_register"):
            raise RuleViolation(
                "order.no_register", "须先登记资源缺口", rule="ORD-05", field="reason"
            )
        notified = Contact.objects.filter(
            order=order, purpose=ContactPurpose.RESOURCE_NOTICE
        ).exists()
        if not notified:
            raise RuleViolation(
                "order.no_notice", "须先告知客户资源不具备", rule="ORD-05", field="reason"
            )
    transition(order, "cancel", at=now, by=by, reason=reason)
    for key in (f"apt02:{order.id}", f"ord08:{order.id}", f"qa04warn:{order.id}"):
        timer_cancel(key=key)
    # ORD-10: without the new site there is nothing to remove at the old one.
    cancellable = TRANSITIONS["cancel"][0]
    for removal in order.linked_orders.select_for_update().filter(status__in=cancellable):
        transition(
            removal,
            "cancel",
            at=now,
            by=by,
            msg="cancel.move",
            args={"number": order.number},
        )
    return order


@refusals_remembered
def work_order_transition(
    *,
    order_id: int,
    action: str,
    by: User | None,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    msg: str = "",
) -> WorkOrder:
    """Generic lifecycle step for actions without rules of their own (depart, close, ...);
    ``at`` is when it happened if not now (a technician's tap synced from the phone); ``msg``
    the system's reason as a message code (``guifan.norms.reasons``) instead of ``reason``.

    Ending an on-site visit here is refused, and the attempt is recorded against the
    mandatory steps it would have skipped."""
    try:
        return _transition(
            order_id=order_id,
            action=action,
            by=by,
            reason=reason,
            expected_version=expected_version,
            at=at,
            msg=msg,
        )
    except OffChecklist as exc:
        skipped = _skipped_steps(exc)
        if skipped:
            refusal_record(order_id, skipped, at=clock_now(), by=by, exc=exc)
        raise


def _skipped_steps(exc: OffChecklist) -> list[Verdict]:
    """The on-site steps (VIS-*) an attempt to end the visit off the checklist would skip."""
    return [
        Verdict.broke(m["norm"], reason("orders.off_checklist_end", message=both_languages(m)))
        for m in exc.missing
        if m["norm"].startswith("VIS-")
    ]


@transaction.atomic
def _transition(
    *,
    order_id: int,
    action: str,
    by: User | None,
    reason: str,
    msg: str = "",
    expected_version: int | None,
    at: dt.datetime | None,
) -> WorkOrder:
    if action in SPECIAL_ACTIONS:
        raise ValidationFailed(
            "order.use_service", f"{action} 须通过 {SPECIAL_ACTIONS[action]} 办理", field="action"
        )
    now = clock_now() if at is None else at
    act = Act.OFFICE if action == "cancel" else Act.FIELD
    order = order_lock(order_id, by=by, act=act, expected_version=expected_version)
    if order.status == S.ON_SITE and action in ON_SITE_ACTIONS:
        _refuse_off_checklist(order, action, at=now, by=by)
    if action == "cancel":
        return work_order_cancel(order_id=order_id, reason=reason, by=by)
    if action in {"depart", "arrive", "complete"}:
        return visits.visit_step(order, action, at=now, by=by)
    return transition(order, action, at=now, by=by, reason=reason, msg=msg)
