"""What each order timer does when it fires (inside the worker's transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import (
    AppointmentStatus,
    Channel,
    ContactOutcome,
    ContactPurpose,
    Status,
)
from guifan.apps.orders.models import Appointment, Contact, WorkOrder
from guifan.apps.orders.senders import get_sender
from guifan.apps.orders.services.contacts import contact_log
from guifan.apps.orders.services.records import event_record, verdict_record, verdicts_record
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_schedule
from guifan.clock import local
from guifan.norms import Verdict, rules
from guifan.norms.reasons import reason

# "At once" in DSP-03, read as within this many minutes of the late-risk prompt.
ACTION_MINUTES = 10


def _order(timer: Timer) -> WorkOrder:
    assert timer.order_id is not None
    orders = WorkOrder.objects.select_for_update(of=("self",)).select_related(
        "area", "customer", "technician"
    )
    return orders.get(id=timer.order_id)


def _appointment(timer: Timer) -> Appointment:
    assert timer.appointment_id is not None
    return Appointment.objects.get(id=timer.appointment_id)


@handler("apt02.first_contact", "首次联系时限")
def first_contact_missed(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """APT-02 broken: no contact attempt by the tier deadline."""
    order = _order(timer)
    if Contact.objects.filter(order=order, at__lte=timer.due_at).exists():
        return {"skipped": "contacted"}
    overdue = reason("apt02.first_contact_overdue", order_tier=order.tier)
    verdict_record(order, Verdict.broke("APT-02", overdue), at=now)
    return {"kept": False}


@handler("apt04.day_check", "上门当日九点核查")
def day_check(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """09:00 on the day: reconfirmed (APT-04) and refined to an hour window (APT-01)?"""
    appt = _appointment(timer)
    if appt.status != AppointmentStatus.ACTIVE:
        return {"skipped": appt.status}
    order = _order(timer)
    ns = norms_snapshot()
    confirmed = appt.confirmed_at is not None and appt.confirmed_at <= timer.due_at
    v4 = (
        Verdict.keep("APT-04", reason("apt04.reconfirmed"))
        if confirmed
        else Verdict.broke("APT-04", reason("apt04.not_reconfirmed"))
    )
    v1 = rules.check_window(start=appt.window_start, end=appt.window_end, ns=ns)
    verdicts_record(order, [v4, v1], at=now)
    return {"APT-04": v4.kept, "APT-01": v1.kept}


def arrival_sms(order: WorkOrder, appt: Appointment, *, key: str, when: str) -> str:
    """Text the customer who is coming and ``when`` (APT-07's notice, the last-mile message),
    logged as an arrival notice; the outcome of the send."""
    tech = order.technician
    body = (
        f"{order.customer.name}{order.customer.title}您好，装维人员{tech.name if tech else ''}"
        f"（工号{tech.badge_no if tech else ''}）{when}"
    )
    outcome = get_sender().send(to=order.customer.phone, channel=Channel.SMS, body=body, key=key)
    contact_log(
        order,
        channel=Channel.SMS,
        purpose=ContactPurpose.ARRIVAL_NOTICE,
        outcome=outcome,
        by=None,
        body=body,
        appointment=appt,
        by_label="system",
    )
    return outcome


@handler("apt07.arrival_notice", "到达前半小时通知")
def arrival_notice(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Tell the customer the technician arrives in about 30 minutes (APT-07)."""
    appt = _appointment(timer)
    order = _order(timer)
    if appt.status != AppointmentStatus.ACTIVE or appt.planned_arrival is None:
        return {"skipped": appt.status}
    outcome = arrival_sms(
        order,
        appt,
        key=timer.key,
        when=f"预计 {local(appt.planned_arrival):%H:%M} 到达，请您留意。",
    )
    sent_at = now if outcome == ContactOutcome.SENT else None
    verdict = rules.check_arrival_notice(
        sent_at=sent_at, planned_arrival=appt.planned_arrival, ns=norms_snapshot()
    )
    verdict_record(order, verdict, at=now)
    return {"kept": verdict.kept}


@handler("dsp04.late_check", "迟到风险提醒")
def late_check(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """A dispatched visit not under way by now will be late: prompt the call (DSP-04)."""
    order = _order(timer)
    appt = _appointment(timer)
    if appt.status != AppointmentStatus.ACTIVE or order.status != Status.DISPATCHED:
        return {"at_risk": False}
    event_record(order, action="late_risk", at=now, by=None, msg="late_risk.not_departed")
    # DSP-03: the visit may not stay "will be late" without re-agreeing or reassigning;
    # one prompt per assignment, keyed like the late check that raised it.
    timer_schedule(
        kind="dsp03.action_due",
        key=f"dsp03:{timer.key.removeprefix('dsp04:')}",
        due_at=now + dt.timedelta(minutes=ACTION_MINUTES),
        norm_id="DSP-03",
        order_id=order.id,
        appointment_id=appt.id,
        payload={"technician_id": appt.technician_id, "since": now.isoformat()},
    )
    return {"at_risk": True}


@handler("dsp03.action_due", "冲突处置到期")
def late_action_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Kept when the customer was called to re-agree, or the visit was moved or reassigned."""
    order = _order(timer)
    appt = _appointment(timer)
    since = dt.datetime.fromisoformat(timer.payload["since"])
    called = Contact.objects.filter(
        order=order,
        purpose__in=[ContactPurpose.LATE_NOTICE, ContactPurpose.RESCHEDULE],
        at__gte=since,
    ).exists()
    moved = (
        appt.status == AppointmentStatus.RESCHEDULED
        or appt.technician_id != timer.payload["technician_id"]
    )
    verdict = (
        Verdict.keep("DSP-03", reason("dsp03.handled"))
        if called or moved
        else Verdict.broke("DSP-03", reason("dsp03.not_handled", minutes=ACTION_MINUTES))
    )
    verdict_record(order, verdict, at=now)
    return {"kept": verdict.kept}


@handler("apt08.retry", "再次联系提醒")
def retry_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Remind the technician to call again (APT-08)."""
    order = _order(timer)
    if order.status in (Status.CANCELLED, Status.CLOSED, Status.COMPLETED):
        return {"skipped": order.status}
    event_record(
        order,
        action="retry_reminder",
        at=now,
        by=None,
        msg="reminder.retry",
        detail=timer.payload,
    )
    return {"reminded": True}


@handler("ord03.callback_due", "远程修复回访到期")
def callback_missed(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """ORD-03 broken: no callback by the due time after a remote fix."""
    order = _order(timer)
    verdict_record(order, Verdict.broke("ORD-03", reason("ord03.callback_missed")), at=now)
    return {"kept": False}


@handler("ord05.notice_due", "资源不具备告知到期")
def resource_notice_missed(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    order = _order(timer)
    verdict_record(order, Verdict.broke("ORD-05", reason("ord05.notice_missed")), at=now)
    return {"kept": False}


@handler("qa04.warn", "升级上报提醒")
def escalation_warning(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Remind to escalate-and-report while there is still time (QA-04)."""
    order = _order(timer)
    if order.completed_at is not None or order.escalations.exists():
        return {"skipped": "done"}
    event_record(order, action="escalation_reminder", at=now, by=None, msg="reminder.escalate")
    return {"reminded": True}


@handler("ord08.deadline", "修复时限到期")
def repair_deadline(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """At the repair deadline: overtime (ORD-08) unless escalated in time (QA-04)."""
    order = _order(timer)
    if order.completed_at is not None and order.completed_at <= timer.due_at:
        return {"skipped": "restored"}
    escalated = order.escalations.filter(filed_at__lte=timer.due_at).exists()
    qa = (
        Verdict.keep("QA-04", reason("booking.qa04.escalated"))
        if escalated
        else Verdict.broke("QA-04", reason("booking.qa04.not_escalated"))
    )
    verdict_record(order, qa, at=now)
    ord8 = (
        Verdict.keep("ORD-08", reason("booking.ord08.overtime_reported"))
        if escalated
        else Verdict.broke("ORD-08", reason("booking.ord08.overtime"))
    )
    verdict_record(order, ord8, at=now)
    return {"QA-04": qa.kept, "ORD-08": ord8.kept}
