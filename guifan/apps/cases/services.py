"""Field cases: dissatisfaction followed up until satisfied (QA-02) and field complaints owned
by whoever received them (QA-03). Hall complaints (HAL-08) are the same model (``hall.py``).

QA-02 (ADR 0020). An unhappy rating, a refused signature or an unhappy callback opens one case
per order and source. Someone re-contacts the customer at least every ``recontact_hours``; a
period without any re-contact is a miss, and the ladder escalates after
``escalate_team_after`` misses (team leader) and ``escalate_centre_after`` (quality centre).
The case closes only with the customer's confirmation of satisfaction (who, when, how).
The verdict, once per case: **broken** when the ladder escalates or the case is still open
``close_within_hours`` after it opened; otherwise **kept** when it closes with confirmation
within that time.

QA-03. The person who received the complaint owns it; the reply promise (``reply_by``) is a
timer; the steps of the ``steps`` parameter are recorded on the case. The verdict, once per
case: kept when it is closed by the promised time with every step recorded; broken when the
promise passes with the case open, or it closes with a step missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.cases.access import case_require, not_found
from guifan.apps.cases.models import Case, CaseChannel, CaseKind, CaseStatus, Escalation
from guifan.apps.cases.timeline import case_event, case_verdict
from guifan.apps.hall.models import Hall
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import KINDS_BY_SERVICE
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.intake import OrderIntake, work_order_intake
from guifan.apps.orders.services.records import event_record, order_lock
from guifan.apps.orders.signals import complaint_received
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import Reason, message, reason
from guifan.textinput import text_check

CONFIRM_VIA = ("phone", "visit", "sms", "in_person")
CLOSE_AS = (CaseStatus.REPLIED, CaseStatus.ESCALATED, CaseStatus.REFERRED)


def _param(norm: str, name: str) -> Any:
    return norms_snapshot().param(norm, name)


def _owner(by: User | None) -> User | None:
    """First contact: a person; an integration or the worker owns nothing."""
    return by if by is not None and by.role != Role.SYSTEM else None


def case_lock(case_id: int, *, by: User | None, write: bool = True) -> Case:
    """The case, row-locked, if ``by`` may work it (404 otherwise)."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("order__area", "order__technician", "hall", "owner")
        .filter(id=case_id)
        .first()
    )
    if case is None:
        raise not_found(case_id)
    return case_require(case, by=by, write=write)


def _open_only(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise Conflict("case.closed", "该案件已办结", field="case")


# --- QA-02: dissatisfaction ---------------------------------------------------------------


def _contact_key(case: Case, n: int) -> str:
    return f"qa02:{case.id}:contact:{n}"


def _arm_recontact(case: Case, *, after: dt.datetime) -> None:
    hours = float(_param("QA-02", "recontact_hours"))
    n = case.events.count()
    case.next_contact_at = after + dt.timedelta(hours=hours)
    case.save(update_fields=["next_contact_at"])
    timer_schedule(
        kind="qa02.recontact",
        key=_contact_key(case, n),
        due_at=case.next_contact_at,
        norm_id="QA-02",
        order_id=case.order_id,
        payload={"case": case.id, "due": case.next_contact_at.isoformat()},
    )


def case_open_dissatisfied(
    *,
    order: WorkOrder | None,
    source: str,
    reason: str,
    at: dt.datetime,
    by: User | None,
    detail: dict[str, Any] | None = None,
    hall: Hall | None = None,
) -> tuple[Case, bool]:
    """Open the QA-02 case of ``order`` (or, for a hall's rating, of ``hall``) for ``source``;
    a repeat returns the same case (a hall's source names its ticket)."""
    if (order is None) == (hall is None):
        raise ValueError("a QA-02 case is an order's or a hall's")
    source = source[:20]
    found = Case.objects.filter(
        kind=CaseKind.DISSATISFIED, order=order, hall=hall, source=source
    ).first()
    if found is not None:
        return found, False
    case = Case.objects.create(
        kind=CaseKind.DISSATISFIED,
        channel=CaseChannel.FIELD if order is not None else CaseChannel.HALL,
        source=source,
        order=order,
        hall=hall,
        owner=_owner(by),
        opened_at=at,
        summary=reason or "客户不满意",
    )
    case_event(case, "opened", at=at, by=by, note=case.summary, detail=detail or {})
    _arm_recontact(case, after=at)
    timer_schedule(
        kind="qa02.target",
        key=f"qa02:{case.id}:target",
        due_at=at + dt.timedelta(hours=float(_param("QA-02", "close_within_hours"))),
        norm_id="QA-02",
        order_id=case.order_id,
        payload={"case": case.id},
    )
    return case, True


@transaction.atomic
def case_contact_record(
    *,
    case_id: int,
    reached: bool,
    satisfied: bool | None = None,
    note: str = "",
    via: str = "phone",
    who: str = "",
    by: User | None,
) -> Case:
    """A re-contact of the customer (reached or not); ``satisfied`` records the confirmation."""
    case = case_lock(case_id, by=by)
    _open_only(case)
    if via not in CONFIRM_VIA:
        raise ValidationFailed("case.via", "联系方式无效", field="via")
    if satisfied is not None and not reached:
        raise ValidationFailed(
            "case.satisfied", "未联系上客户，不能记录满意与否", field="satisfied"
        )
    now = clock_now()
    note = text_check(note, field="note").strip()
    case_event(
        case,
        "contact",
        at=now,
        by=by,
        note=note,
        detail={"reached": reached, "satisfied": satisfied, "via": via},
    )
    if satisfied:
        _confirm(case, who=who, via=via, at=now, by=by)
    if case.kind == CaseKind.DISSATISFIED:
        # The contact resets the re-contact clock: the pending reminder is superseded.
        _arm_recontact(case, after=now)
    return case


def _confirm(case: Case, *, who: str, via: str, at: dt.datetime, by: User | None) -> None:
    case.confirmed_at = at
    case.confirmed_by = (who or "客户本人").strip()[:50]
    case.confirmed_via = via
    case.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_via"])
    case_event(case, "confirmed", at=at, by=by, note=case.confirmed_by, detail={"via": via})


@transaction.atomic
def case_confirm(*, case_id: int, who: str, via: str, by: User | None) -> Case:
    """Record the customer's confirmation of satisfaction: who, when, how."""
    case = case_lock(case_id, by=by)
    _open_only(case)
    if via not in CONFIRM_VIA:
        raise ValidationFailed("case.via", "确认方式无效", field="via")
    if not text_check(who, field="who").strip():
        raise ValidationFailed("case.who", "请填写确认人", field="who")
    _confirm(case, who=who, via=via, at=clock_now(), by=by)
    return case


@transaction.atomic
def case_escalate(*, case_id: int, note: str, by: User | None) -> Case:
    """Hand the case one level up (team leader, then the quality centre)."""
    case = case_lock(case_id, by=by)
    _open_only(case)
    if case.escalation >= Escalation.CENTRE:
        raise Conflict("case.escalated", "已升级至服务质量监督中心", field="case")
    now = clock_now()
    case.escalation += 1
    case.save(update_fields=["escalation"])
    note = text_check(note, field="note").strip()
    case_event(case, "escalated", at=now, by=by, note=note, detail={"level": case.escalation})
    return case


@transaction.atomic
def case_close(*, case_id: int, outcome: str, by: User | None, status: str = "") -> Case:
    """Close a field case. QA-02 needs the customer's confirmation first (422 naming QA-02)."""
    case = case_lock(case_id, by=by)
    _open_only(case)
    outcome = text_check(outcome, field="outcome").strip()
    if not outcome:
        raise ValidationFailed("case.outcome", "请填写处理结果", field="outcome")
    now = clock_now()
    if case.kind == CaseKind.DISSATISFIED:
        if case.confirmed_at is None:
            raise RuleViolation(
                "case.unconfirmed",
                "QA-02：客户确认满意之前不能结案",
                rule="QA-02",
                field="confirmation",
            )
        _close(case, CaseStatus.RESOLVED, outcome, now, by)
        hours = float(_param("QA-02", "close_within_hours"))
        took = (now - case.opened_at).total_seconds() / 3600
        if took <= hours:
            verdict = Verdict.keep("QA-02", reason("qa02.closed_in_time", took=took), hours=took)
        else:
            verdict = Verdict.broke("QA-02", reason("qa02.closed_late", took=took, hours=hours))
        case_verdict(case, verdict, at=now, by=by)
        return case
    if case.kind == CaseKind.FIELD_COMPLAINT:
        if status not in CLOSE_AS:
            raise ValidationFailed("case.status", "处理方式无效", field="status")
        _close(case, status, outcome, now, by)
        timer_cancel(key=f"qa03:{case.id}")
        case_verdict(case, _qa03_verdict(case, now), at=now, by=by)
        return case
    raise ValidationFailed("case.kind", "厅内投诉请在营业厅投诉页办结", field="case")


def _close(case: Case, status: str, outcome: str, now: dt.datetime, by: User | None) -> None:
    case.status, case.outcome, case.closed_at = status, outcome, now
    case.next_contact_at = None
    case.save(update_fields=["status", "outcome", "closed_at", "next_contact_at"])
    case_event(case, "closed", at=now, by=by, note=outcome, detail={"status": status})


@handler("qa02.recontact", "投诉再次联系到期")
def case_recontact_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Nobody re-contacted the customer in time: a miss, and the ladder may escalate."""
    case = Case.objects.select_for_update().filter(id=timer.payload["case"]).first()
    if case is None or case.status != CaseStatus.OPEN:
        return {"closed": True}
    due = dt.datetime.fromisoformat(timer.payload["due"])
    if case.next_contact_at is None or case.next_contact_at != due:
        return {"superseded": True}  # a contact since armed a later reminder
    case = Case.objects.select_related("order__area", "hall", "owner").get(id=case.id)
    case.missed_contacts += 1
    level = case.escalation
    if case.missed_contacts >= int(_param("QA-02", "escalate_centre_after")):
        level = max(level, Escalation.CENTRE)
    elif case.missed_contacts >= int(_param("QA-02", "escalate_team_after")):
        level = max(level, Escalation.TEAM)
    raised = level > case.escalation
    case.escalation = level
    case.save(update_fields=["missed_contacts", "escalation"])
    _system_note(case, "missed", reason("case.missed"), now, n=case.missed_contacts)
    if raised:
        escalated = reason("case.escalated", escalation_level=int(level))
        _system_note(case, "escalated", escalated, now)
        why = reason("qa02.escalated", missed=case.missed_contacts, escalation_level=int(level))
        case_verdict(case, Verdict.broke("QA-02", why), at=now, by=None)
    _arm_recontact(case, after=due)  # the ladder's periods run from the first due time
    return {"missed": case.missed_contacts, "escalation": level}


def _system_note(case: Case, action: str, why: Reason, at: dt.datetime, **detail: Any) -> None:
    """A note the system writes on the case's timeline, in Chinese with its message code (the
    case page renders it in the reader's language)."""
    case_event(case, action, at=at, by=None, note=why.zh(), detail={**detail, **message(why)})


@handler("qa02.target", "投诉处理时限到期")
def case_target_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Still open at the target: QA-02 is broken (once; the case stays open)."""
    case = (
        Case.objects.select_related("order__area", "hall", "owner")
        .filter(id=timer.payload["case"])
        .first()
    )
    if case is None or case.status != CaseStatus.OPEN:
        return {"closed": True}
    hours = _param("QA-02", "close_within_hours")
    verdict = Verdict.broke("QA-02", reason("qa02.not_confirmed", hours=hours))
    case_verdict(case, verdict, at=now, by=None)
    return {"closed": False}


@transaction.atomic
def case_revisit(*, case_id: int, note: str, by: User | None) -> WorkOrder:
    """Book a re-visit from a case: a new repair order at the same address, through intake.

    ``by`` must be allowed to work the case; the order is taken in as the case's integration
    (the quality centre takes in no orders of its own), keyed by the case so a repeat returns
    the same order.
    """
    case = case_lock(case_id, by=by)
    _open_only(case)
    if case.order is None:
        raise ValidationFailed("case.order", "该案件没有关联工单", field="case")
    old = WorkOrder.objects.select_related("customer", "address", "area").get(id=case.order.id)
    kind = "repair" if "repair" in KINDS_BY_SERVICE.get(old.service_type, ()) else old.kind
    text = text_check(note, field="note").strip() or case.summary
    data = OrderIntake(
        customer_name=old.customer.name,
        phone=old.customer.phone,
        tier=old.customer.tier,
        address=old.address.text,
        lat=old.address.lat,
        lon=old.address.lon,
        area=old.area.code,
        service_type=old.service_type,
        kind=kind,
        description=f"回访不满意重新上门（原工单 {old.number}）：{text}"[:500],
        requested_time="尽快",
        title=old.customer.title,
    )
    n = case.events.filter(action="revisit").count()
    order, _ = work_order_intake(data=data, source="case", key=f"case:{case.id}:{n}", by=None)
    now = clock_now()
    case_event(case, "revisit", at=now, by=by, note=order.number, detail={"order": order.id})
    return order


# --- QA-03: field complaints --------------------------------------------------------------


def _steps_clean(steps: list[str]) -> list[str]:
    allowed = [str(s) for s in _param("QA-03", "steps")]
    unknown = [s for s in steps if s not in allowed]
    if unknown:
        raise ValidationFailed(
            "case.step", f"未知处理步骤：{'、'.join(unknown)}", field="steps", rule="QA-03"
        )
    return [s for s in allowed if s in steps]


def _qa03_verdict(case: Case, now: dt.datetime) -> Verdict:
    allowed = [str(s) for s in _param("QA-03", "steps")]
    missing = [s for s in allowed if s not in case.steps]
    late = case.reply_by is not None and now > case.reply_by
    if missing:
        why = reason("qa03.steps_missing", missing_steps=missing)
        return Verdict.broke("QA-03", why, missing=len(missing))
    if late:
        return Verdict.broke("QA-03", reason("qa03.closed_late"))
    return Verdict.keep("QA-03", reason("qa03.kept"))


@transaction.atomic
def complaint_open(
    *,
    order_id: int,
    summary: str,
    steps: list[str],
    by: User,
    reply_by: dt.datetime | None = None,
    customer_name: str = "",
) -> Case:
    """A complaint received in the field on ``order``: ``by`` owns it (first contact)."""
    order = order_lock(order_id, by=by, act=Act.READ)
    now = clock_now()
    summary = text_check(summary, field="summary").strip()
    if not summary:
        raise ValidationFailed("complaint.summary", "请填写投诉内容", field="summary")
    if reply_by is None:
        reply_by = now + dt.timedelta(hours=float(_param("QA-03", "reply_within_hours")))
    if reply_by <= now:
        raise ValidationFailed("complaint.reply_by", "答复时间须晚于现在", field="reply_by")
    case = Case.objects.create(
        kind=CaseKind.FIELD_COMPLAINT,
        channel=CaseChannel.FIELD,
        source="field",
        order=order,
        owner=by,
        opened_at=now,
        customer_name=text_check(customer_name, field="customer_name").strip()[:50],
        summary=summary,
        reply_by=reply_by,
        steps=_steps_clean(steps),
    )
    case_event(case, "opened", at=now, by=by, note=summary, detail={"steps": case.steps})
    event_record(order, action="complaint", at=now, by=by, reason=summary, detail={"case": case.id})
    timer_schedule(
        kind="qa03.reply_due",
        key=f"qa03:{case.id}",
        due_at=reply_by,
        norm_id="QA-03",
        order_id=order.id,
        payload={"case": case.id},
    )
    complaint_received.send(sender=Case, case_id=case.id, order=order, at=now, by=by)
    return case


@transaction.atomic
def complaint_steps_record(*, case_id: int, steps: list[str], by: User | None) -> Case:
    """Add steps of QA-03 done since the complaint was recorded (e.g. apologised again)."""
    case = case_lock(case_id, by=by)
    _open_only(case)
    if case.kind != CaseKind.FIELD_COMPLAINT:
        raise ValidationFailed("case.kind", "只有现场投诉记录处理步骤", field="steps")
    case.steps = _steps_clean([*case.steps, *steps])
    case.save(update_fields=["steps"])
    case_event(case, "steps", at=clock_now(), by=by, detail={"steps": steps})
    return case


@handler("qa03.reply_due", "现场投诉承诺答复到期")
def complaint_reply_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    case = (
        Case.objects.select_related("order__area", "owner").filter(id=timer.payload["case"]).first()
    )
    if case is None or case.status != CaseStatus.OPEN:
        return {"closed": True}
    _system_note(case, "overdue", reason("case.overdue"), now)
    verdict = Verdict.broke("QA-03", reason("qa03.reply_overdue"))
    case_verdict(case, verdict, at=now, by=None)
    return {"closed": False}
