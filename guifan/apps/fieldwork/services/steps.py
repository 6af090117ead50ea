"""Trip steps, the call ahead, checklist records and completion, for the assigned technician."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.checklist import checklist_for, checklist_step_get, gates_before
from guifan.apps.fieldwork.choices import StepOutcome
from guifan.apps.fieldwork.models import StepRecord, VisitRating, VisitSignature
from guifan.apps.fieldwork.services.onsite import require_on_site
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import ContactOutcome
from guifan.apps.orders.models import Contact, WorkOrder
from guifan.apps.orders.services import work_order_transition
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.apps.orders.services.visits import visit_call_ahead
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.textinput import text_check

TRIP_ACTIONS = ("depart", "arrive")
CALL_OUTCOMES = (ContactOutcome.ANSWERED, ContactOutcome.NO_ANSWER, ContactOutcome.BUSY)


@transaction.atomic
def field_trip_step(
    *, order_id: int, action: str, expected_version: int, by: User, at: dt.datetime | None = None
) -> WorkOrder:
    """Start the trip or arrive (at the tap time ``at``, default now); the order services check
    the norms (DSP-04, APT-08)."""
    if action not in TRIP_ACTIONS:
        raise ValidationFailed("visit.action", f"未知操作 {action!r}", field="action")
    order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    return work_order_transition(
        order_id=order_id, action=action, by=by, expected_version=expected_version, at=at
    )


@transaction.atomic
def field_call_ahead(
    *,
    order_id: int,
    late: bool,
    outcome: str,
    expected_version: int,
    by: User,
    at: dt.datetime | None = None,
) -> Contact:
    """Record the call before arriving: the arrival notice (APT-07) or a late notice (DSP-04)."""
    if outcome not in CALL_OUTCOMES:
        raise ValidationFailed("contact.outcome", "请选择通话结果", field="outcome")
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status not in ("dispatched", "en_route"):
        raise Conflict(
            "visit.call_ahead_state",
            f"工单状态为 {order.get_status_display()},无需提前致电",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    return visit_call_ahead(
        order, late=late, outcome=outcome, at=clock_now() if at is None else at, by=by
    )


@transaction.atomic
def checklist_step_record(
    *,
    order_id: int,
    norm_id: str,
    outcome: str,
    expected_version: int,
    by: User,
    reason: str = "",
    at: dt.datetime | None = None,
) -> StepRecord:
    """Record a step done, or skipped with a reason; a checkable norm gets its verdict."""
    now = clock_now() if at is None else at
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    step = checklist_step_get(norm_id)
    if step is None or not step.applies(service_type=order.service_type, kind=order.kind):
        raise ValidationFailed("step.unknown", f"本工单没有步骤 {norm_id}", field="norm_id")
    if outcome not in StepOutcome.values:
        raise ValidationFailed("step.outcome", "请选择完成或跳过", field="outcome")
    reason = text_check(reason, field="reason", max_length=200).strip()
    if outcome == StepOutcome.SKIPPED and not reason:
        raise ValidationFailed("step.reason_required", "跳过步骤须说明原因", field="reason")
    _require_gates(order, norm_id)
    record = StepRecord.objects.create(
        order=order, norm_id=norm_id, outcome=outcome, reason=reason, at=now, by=by
    )
    if step.check:
        verdict = (
            Verdict.keep(norm_id, f"现场步骤已完成:{step.title}")
            if outcome == StepOutcome.DONE
            else Verdict.broke(norm_id, f"现场步骤跳过:{reason}")
        )
        verdict_record(order, verdict, at=now, by=by)
    return record


def _latest_outcomes(order: WorkOrder) -> dict[str, str]:
    latest: dict[str, str] = {}
    for norm_id, outcome in (
        StepRecord.objects.filter(order=order)
        .order_by("at", "id")
        .values_list("norm_id", "outcome")
    ):
        latest[norm_id] = outcome
    return latest


def _require_gates(order: WorkOrder, norm_id: str) -> None:
    """VIS-04 (enforced): no work step before the badge is shown and the order confirmed."""
    latest = _latest_outcomes(order)
    for gate in gates_before(norm_id):
        if latest.get(gate.norm_id) != StepOutcome.DONE:
            raise RuleViolation(
                "step.gate",
                f"须先完成 {gate.norm_id} {gate.title}",
                rule=gate.norm_id,
                field="norm_id",
            )


# Ratings at or below this (of 5) count as "unsatisfied" for the QA-02 follow-up.
UNSATISFIED_SCORE = 2


def missing_for_completion(order: WorkOrder) -> list[dict[str, str]]:
    """What completion still lacks (mandatory steps, the signature): field, norm, message."""
    latest = _latest_outcomes(order)
    missing = [
        {"field": "steps", "norm": s.norm_id, "message": f"必做步骤 {s.norm_id} {s.title} 未完成"}
        for s in checklist_for(service_type=order.service_type, kind=order.kind)
        if s.mandatory and latest.get(s.norm_id) != StepOutcome.DONE
    ]
    # VIS-18: a signature is asked for but never forced unless the parameter says so.
    forced = bool(norms_snapshot().param("VIS-18", "force_signature"))
    if forced and not VisitSignature.objects.filter(order=order).exists():
        missing.append({"field": "signature", "norm": "VIS-18", "message": "请客户在屏幕上签名"})
    return missing


@transaction.atomic
def field_visit_complete(
    *, order_id: int, expected_version: int, by: User, at: dt.datetime | None = None
) -> WorkOrder:
    """Complete the visit once mandatory steps are done and the customer signed (VIS-18)."""
    now = clock_now() if at is None else at
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    missing = missing_for_completion(order)
    if missing:
        raise ValidationFailed(
            "visit.incomplete",
            "；".join(m["message"] for m in missing),
            field=missing[0]["field"],
            extra={"missing": missing},
        )
    order = work_order_transition(
        order_id=order_id, action="complete", by=by, expected_version=expected_version, at=now
    )
    rating = VisitRating.objects.filter(order=order).first()
    signed = VisitSignature.objects.filter(order=order).exists()
    if rating is None:
        verdict = Verdict.broke("VIS-18", "未请客户评价")
    else:
        verdict = Verdict.keep(
            "VIS-18",
            f"客户{'已' if signed else '未'}签名,评分 {rating.score}",
            score=rating.score,
            signed=signed,
        )
    # A missing signature or an unsatisfied rating opens a follow-up (VIS-18 → QA-02).
    unhappy = rating is not None and rating.score <= UNSATISFIED_SCORE
    if not signed or unhappy:
        event_record(
            order,
            action="followup_needed",
            at=now,
            by=by,
            reason="客户未签名"
            if not signed
            else f"客户评分 {rating.score if rating else ''} 分,不满意",
            detail={"norm": "QA-02", "signed": signed},
        )
    verdict_record(order, verdict, at=now, by=by)
    return order
