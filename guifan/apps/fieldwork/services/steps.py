"""Trip steps, the call ahead, checklist records and completion, for the assigned technician."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.checklist import (
    ChecklistStep,
    checklist_for,
    checklist_step_get,
    gates_before,
)
from guifan.apps.fieldwork.choices import StepOutcome
from guifan.apps.fieldwork.models import StepRecord, VisitRating, VisitSignature
from guifan.apps.fieldwork.selectors import latest_step_records
from guifan.apps.fieldwork.services.eta import eta_follow_up_later
from guifan.apps.fieldwork.services.evidence import photo_store
from guifan.apps.fieldwork.services.judge import judge
from guifan.apps.fieldwork.services.onsite import require_on_site
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import ContactOutcome
from guifan.apps.orders.models import Contact, WorkOrder
from guifan.apps.orders.services import work_order_transition
from guifan.apps.orders.services.records import (
    event_record,
    order_lock,
    refusal_record,
    verdict_record,
    verdicts_record,
)
from guifan.apps.orders.services.visits import visit_call_ahead, visit_step
from guifan.apps.orders.signals import dissatisfied
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.evidence import Judged
from guifan.norms.reasons import Reason, both_languages, message, reason, reason_text
from guifan.textinput import text_check


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo sent with a step; ``key`` is the evidence field that names it."""

    data: bytes
    content_type: str
    key: str


TRIP_ACTIONS = ("depart", "arrive")
DOOR_NORM = "VIS-03"
CALL_OUTCOMES = (ContactOutcome.ANSWERED, ContactOutcome.NO_ANSWER, ContactOutcome.BUSY)


@transaction.atomic
def field_trip_step(
    *, order_id: int, action: str, expected_version: int, by: User, at: dt.datetime | None = None
) -> WorkOrder:
    """Start the trip or arrive (at the tap time ``at``, default now); the order services check
    the norms (DSP-04, APT-08)."""
    if action not in TRIP_ACTIONS:
        raise ValidationFailed("visit.action", f"未知操作 {action!r}", field="action")
    # The transition locks the order for FIELD at the expected version (one read, not two).
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
            f"工单状态为 {order.get_status_display()}，无需提前致电",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    return visit_call_ahead(
        order, late=late, outcome=outcome, at=clock_now() if at is None else at, by=by
    )


def checklist_step_record(
    *,
    order_id: int,
    norm_id: str,
    outcome: str,
    expected_version: int,
    by: User,
    reason: str = "",
    evidence: dict[str, Any] | None = None,
    attachment: Attachment | None = None,
    at: dt.datetime | None = None,
) -> StepRecord:
    """Record a step done (with the evidence its norm asks for) or skipped with a reason.

    Each record of a checked step is judged at once: kept when done with its evidence whole,
    broken when skipped or short. Evidence an enforced norm refuses (a charge without consent,
    disk work without the signature) is refused and the attempt recorded."""
    when = at or clock_now()
    try:
        return _step_record(
            order_id=order_id,
            norm_id=norm_id,
            outcome=outcome,
            expected_version=expected_version,
            by=by,
            reason=reason,
            evidence=evidence,
            attachment=attachment,
            at=when,
        )
    except GuifanError as exc:
        # An enforced step's refusal (its own evidence, or a gate before it) is an attempt.
        if exc.rule and _enforced(exc.rule) and exc.http_status == 422:
            refusal_record(order_id, [_refused(exc.rule, exc)], at=when, by=by, exc=exc)
        raise


def _refused(norm_id: str, exc: GuifanError) -> Verdict:
    """The attempt an enforced step refused (``checklist_step_record`` has a ``reason``)."""
    return Verdict.broke(
        norm_id,
        reason(
            "orders.refused", message=exc.message, error_code=exc.code, error_rule=exc.rule or ""
        ),
    )


def _enforced(norm_id: str) -> bool:
    step = checklist_step_get(norm_id)
    return step is not None and step.mode == "enforced"


@transaction.atomic
def _step_record(
    *,
    order_id: int,
    norm_id: str,
    outcome: str,
    expected_version: int,
    by: User,
    reason: str,
    evidence: dict[str, Any] | None,
    attachment: Attachment | None,
    at: dt.datetime,
) -> StepRecord:
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    step = checklist_step_get(norm_id)
    if step is None or not step.applies(service_type=order.service_type, kind=order.kind):
        raise ValidationFailed("step.unknown", f"本工单没有步骤 {norm_id}", field="norm_id")
    if norm_id == DOOR_NORM:
        raise ValidationFailed(
            "step.use_door",
            "无人应门请按 VIS-03 流程记录（敲门、致电、邻居、留言条）",
            field="norm_id",
            rule=DOOR_NORM,
        )
    if outcome not in StepOutcome.values:
        raise ValidationFailed("step.outcome", "请选择完成或跳过", field="outcome")
    reason = text_check(reason, field="reason", max_length=200).strip()
    if outcome == StepOutcome.SKIPPED and not reason:
        raise ValidationFailed("step.reason_required", "跳过步骤须说明原因", field="reason")
    _require_gates(order, norm_id)
    if attachment is not None and outcome == StepOutcome.DONE:
        # A photo taken in the step's own form (the label, the data-risk signature): saved
        # with the step, in the same transaction, so a refused step keeps no stray photo.
        photo = photo_store(
            order, attachment.data, attachment.content_type, norm_id=norm_id, at=at, by=by
        )
        evidence = {**(evidence or {}), attachment.key: photo.id}
    judged = judge(step, order, evidence, at=at) if outcome == StepOutcome.DONE else None
    record = StepRecord.objects.create(
        order=order,
        norm_id=norm_id,
        outcome=outcome,
        reason=reason,
        evidence=judged.evidence if judged else {},
        shortfalls=judged.shortfalls if judged else [],
        shortfall_notes=[{"msg": n.code, "args": dict(n.args)} for n in judged.notes]
        if judged
        else [],
        blocks=bool(judged and judged.blocks),
        at=at,
        by=by,
    )
    verdicts_record(order, _step_verdicts(step, judged, skipped_because=reason), at=at, by=by)
    return record


def _step_verdicts(
    step: ChecklistStep, judged: Judged | None, *, skipped_because: str
) -> list[Verdict]:
    """A recorded step's verdicts: its own norm (a checked step) and the staff norms its
    self-check measures; ``judged`` is None for a skipped step."""
    verdicts = []
    if step.check:
        if judged is None:
            why = reason("field_work.step_skipped", skip_reason=skipped_because)
            verdicts.append(Verdict.broke(step.norm_id, why))
        elif judged.notes:
            verdicts.append(Verdict.broke(step.norm_id, judged.why()))
        else:
            done = reason("field_work.step_done", visit_step=step.norm_id)
            verdicts.append(Verdict.keep(step.norm_id, done))
    for staff_norm, kept in (judged.staff if judged else {}).items():
        verdicts.append(
            Verdict.keep(staff_norm, reason("field_work.self_check_passed"))
            if kept
            else Verdict.broke(staff_norm, reason("field_work.self_check_failed"))
        )
    return verdicts


def _latest(order: WorkOrder) -> dict[str, StepRecord]:
    return latest_step_records(order)


def _latest_outcomes(order: WorkOrder) -> dict[str, str]:
    return {norm_id: r.outcome for norm_id, r in _latest(order).items()}


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


def missing_for_completion(order: WorkOrder) -> list[dict[str, Any]]:
    """What completion still lacks (mandatory steps with their evidence, the signature): each
    with its Chinese ``message`` and that message's code and arguments (``msg``, ``args``:
    ``guifan.norms.reasons``) for a page in another language."""
    latest = _latest(order)
    missing = []
    for s in checklist_for(service_type=order.service_type, kind=order.kind):
        record = latest.get(s.norm_id)
        if not s.mandatory:
            continue
        if record is None or record.outcome != StepOutcome.DONE:
            why = reason("field_work.step_not_done", norm=s.norm_id, visit_step=s.norm_id)
        elif record.blocks:
            code = "field_work.step_retest" if s.norm_id == "VIS-14" else "field_work.step_failed"
            why = reason(code, norm=s.norm_id, visit_step=s.norm_id, shortfalls=_shortfalls(record))
        else:
            continue
        missing.append({"field": "steps", "norm": s.norm_id, **_said(why)})
    # VIS-18: a signature is asked for but never forced unless the parameter says so.
    forced = bool(norms_snapshot().param("VIS-18", "force_signature"))
    if forced and not VisitSignature.objects.filter(order=order).exists():
        missing.append(
            {"field": "signature", "norm": "VIS-18", **_said(reason("field_work.sign_on_screen"))}
        )
    return missing


def _shortfalls(record: StepRecord) -> dict[str, str]:
    """A step's shortfalls in both languages (its stored Chinese where it has no codes)."""
    zh = "；".join(record.shortfalls)
    notes = record.shortfall_notes or []
    english = [reason_text(n.get("msg", ""), n.get("args"), "en") for n in notes]
    if len(english) != len(record.shortfalls) or None in english:
        return {"zh": zh, "en": zh}
    return {"zh": zh, "en": "; ".join(str(e) for e in english)}


def _said(why: Reason) -> dict[str, Any]:
    return {"message": why.zh(), **message(why)}


class VisitIncomplete(ValidationFailed):
    def __init__(self, missing: list[dict[str, Any]]) -> None:
        super().__init__(
            "visit.incomplete",
            "；".join(m["message"] for m in missing),
            field=missing[0]["field"],
            rule=missing[0]["norm"],
            extra={"missing": missing},
        )
        self.missing = missing


def field_visit_complete(
    *,
    order_id: int,
    expected_version: int,
    by: User,
    at: dt.datetime | None = None,
    fix_certain: bool = True,
) -> WorkOrder:
    """Complete the visit once the mandatory steps are done with their evidence (VIS-04..17)
    and, where the parameter forces it, signed (VIS-18). A refused attempt is recorded.
    ``fix_certain=False``: the technician is not sure the repair holds (QA-01 callback)."""
    when = at or clock_now()
    try:
        order = _complete(
            order_id=order_id,
            expected_version=expected_version,
            by=by,
            at=when,
            fix_certain=fix_certain,
        )
    except VisitIncomplete as exc:
        refused = [
            Verdict.broke(
                m["norm"],
                reason("field_work.completion_refused", message=both_languages(m)),
            )
            for m in exc.missing
            if m["norm"] != "VIS-18"
        ]
        if refused:
            refusal_record(order_id, refused, at=when, by=by, exc=exc)
        raise
    if order.technician_id is not None:
        # The next stop's ETA from this stop's time (ADR 0034): a late one prompts DSP-04.
        eta_follow_up_later(order.technician_id)
    return order


@transaction.atomic
def _complete(
    *, order_id: int, expected_version: int, by: User, at: dt.datetime, fix_certain: bool
) -> WorkOrder:
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    missing = missing_for_completion(order)
    if missing:
        raise VisitIncomplete(missing)
    _judge_unrecorded(order, at=at, by=by)
    order = visit_step(order, "complete", at=at, by=by, detail={"fix_certain": fix_certain})
    rating = VisitRating.objects.filter(order=order).first()
    signed = VisitSignature.objects.filter(order=order).exists()
    if rating is None:
        verdict = Verdict.broke("VIS-18", reason("vis18.not_rated"))
    else:
        rated = "vis18.signed_rated" if signed else "vis18.unsigned_rated"
        verdict = Verdict.keep(
            "VIS-18", reason(rated, score=rating.score), score=rating.score, signed=signed
        )
    # A missing signature or an unsatisfied rating opens a follow-up (VIS-18 → QA-02).
    unhappy = rating is not None and rating.score <= UNSATISFIED_SCORE
    if not signed or unhappy:
        event_record(
            order,
            action="followup_needed",
            at=at,
            by=by,
            msg="followup.unsigned" if not signed else "followup.low_rating",
            args={} if not signed else {"score": rating.score if rating else ""},
            detail={"norm": "QA-02", "signed": signed},
        )
        opened = (
            reason("case.unsigned")
            if not signed
            else reason("case.low_rating", score=rating.score if rating else "")
        )
        dissatisfied.send(
            sender=VisitRating,
            order=order,
            source="signature" if not signed else "rating",
            reason=opened.zh(),
            at=at,
            by=by,
            detail={"signed": signed, "score": rating.score if rating else None, **message(opened)},
        )
    verdict_record(order, verdict, at=at, by=by)
    return order


def _judge_unrecorded(order: WorkOrder, *, at: dt.datetime, by: User) -> None:
    """A checked step the technician never recorded is a step not done."""
    latest = _latest(order)
    for s in checklist_for(service_type=order.service_type, kind=order.kind):
        if s.check and s.norm_id not in latest and s.norm_id not in (DOOR_NORM, "VIS-18"):
            why = reason("field_work.step_not_recorded", visit_step=s.norm_id)
            verdict_record(order, Verdict.broke(s.norm_id, why), at=at, by=by)
