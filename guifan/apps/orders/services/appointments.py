"""Appointments: slots (APT-03), booking (APT-01), reconfirmation (APT-04), changes (APT-05/06)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record, audit_snapshot
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import (
    AppointmentStatus,
    Channel,
    ContactOutcome,
    ContactPurpose,
    HalfDay,
    Initiator,
)
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.orders.services.contacts import contact_log
from guifan.apps.orders.services.records import event_record, order_lock, transition, verdict_record
from guifan.apps.timers.services import timer_schedule, timers_cancel_for_appointment
from guifan.clock import ZONE, at_local, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from guifan.norms import NormSet, Verdict, norm_get, rules
from guifan.norms.reasons import reason as reason_msg


@dataclass(frozen=True, slots=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    half_day: str


def appointment_slots(*, order: WorkOrder, now: dt.datetime, days: int = 7) -> list[Slot]:
    """Every one-hour slot the customer may ask for (APT-03 says all of them must be offered)."""
    ns = norms_snapshot()
    q_start, q_end = rules.quiet_hours(ns)
    slots = []
    first = local(now).date()
    for d in range(days + 2):
        day = first + dt.timedelta(days=d)
        start = at_local(day, q_end)
        while start + dt.timedelta(hours=1) <= at_local(day, q_start):
            end = start + dt.timedelta(hours=1)
            if rules.check_slot(kind=order.kind, booked_at=now, start=start, end=end, ns=ns).kept:
                slots.append(Slot(start, end, HalfDay.AM if local(start).hour < 12 else HalfDay.PM))
            start = end
    return [s for s in slots if s.start < at_local(first + dt.timedelta(days=days + 1), "00:00")]


def _window(
    *,
    day: dt.date | None,
    half_day: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    ns: NormSet,
) -> tuple[dt.datetime, dt.datetime, str]:
    """A booking names at least a half-day (APT-01); an hour window may be given at once,
    on the booked date and no longer than APT-01's window."""
    if start is not None:
        limit = ns.minutes("APT-01", "confirmed_window_minutes")
        if end is None:
            end = start + dt.timedelta(minutes=limit)
        if end <= start:
            raise ValidationFailed(
                "appointment.window_order",
                "时间窗结束须晚于开始",
                field="window_end",
                rule="APT-01",
            )
        if end - start > dt.timedelta(minutes=limit):
            raise RuleViolation(
                "appointment.window_too_long",
                f"时间窗最长 {limit} 分钟。",
                rule="APT-01",
                field="window_end",
            )
        start, end = start.astimezone(ZONE), end.astimezone(ZONE)
        if day is not None and start.date() != day:
            raise RuleViolation(
                "appointment.window_off_date",
                f"时间窗须在预约日期（{day.isoformat()}）当天。",
                rule="APT-01",
                field="window_start",
            )
        return start, end, half_day or (HalfDay.AM if start.hour < 12 else HalfDay.PM)
    if day is None or half_day not in HalfDay.values:
        raise ValidationFailed(
            "appointment.granularity",
            "预约须至少指定日期与上午/下午",
            field="half_day",
            rule="APT-01",
        )
    s, e = rules.half_day_bounds(day, half_day, ns)
    return s, e, half_day


def _check_slot(
    order: WorkOrder, start: dt.datetime, end: dt.datetime, now: dt.datetime, ns: NormSet
) -> Verdict:
    verdict = rules.check_slot(kind=order.kind, booked_at=now, start=start, end=end, ns=ns)
    if not verdict.kept:
        raise RuleViolation(
            "appointment.slot_refused",
            verdict.reason,
            rule="APT-03",
            field=str(verdict.detail.get("field", "date")),
        )
    return verdict


def _create(
    order: WorkOrder, start: dt.datetime, end: dt.datetime, half_day: str, now: dt.datetime
) -> Appointment:
    ns = norms_snapshot()
    # Booked on the visit day itself, the booking call is the day's confirmation (APT-04).
    same_day = local(start).date() == local(now).date()
    appt = Appointment.objects.create(
        order=order,
        date=local(start).date(),
        half_day=half_day,
        window_start=start,
        window_end=end,
        booked_at=now,
        confirmed_at=now if same_day else None,
    )
    deadline = rules.reconfirm_deadline(day=appt.date, ns=ns)
    timer_schedule(
        kind="apt04.day_check",
        key=f"apt04:{appt.id}",
        due_at=max(deadline, now),
        norm_id="APT-04",
        order_id=order.id,
        appointment_id=appt.id,
    )
    return appt


@refusals_remembered
@transaction.atomic
def appointment_book(
    *,
    order_id: int,
    by: User | None,
    day: dt.date | None = None,
    half_day: str | None = None,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
    channel: str = Channel.CALL,
) -> Appointment:
    """Book the visit. Install/move slots ≥ 24 h ahead, never in the quiet hours (APT-03)."""
    now = clock_now()
    ns = norms_snapshot()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    # One active appointment per order (also a unique index): a change goes through reschedule.
    if order.appointments.filter(status=AppointmentStatus.ACTIVE).exists():
        raise Conflict(
            "appointment.already_booked",
            "该工单已有有效预约，如需更改请改约。",
            field="appointment",
        )
    start, end, hd = _window(day=day, half_day=half_day, start=window_start, end=window_end, ns=ns)
    verdict = _check_slot(order, start, end, now, ns)
    transition(order, "schedule", at=now, by=by, msg="schedule.via", args={"channel": channel})
    appt = _create(order, start, end, hd, now)
    audit_record(
        actor=by, action="appointment.book", obj=appt, before={}, after=audit_snapshot(appt)
    )
    verdict_record(order, verdict, at=now, by=by)
    return appt


def _appointment_lock(appointment_id: int, *, by: User | None) -> tuple[Appointment, WorkOrder]:
    appt = Appointment.objects.filter(id=appointment_id).first()
    if appt is None:
        raise NotFound(
            "appointment.not_found", f"预约 {appointment_id} 不存在", field="appointment_id"
        )
    order = order_lock(appt.order_id, by=by, act=Act.FIELD)
    appt = Appointment.objects.select_for_update().get(id=appointment_id)
    if appt.status != AppointmentStatus.ACTIVE:
        raise ValidationFailed(
            "appointment.inactive", "该预约已失效（已改约或取消）", field="appointment_id"
        )
    return appt, order


@refusals_remembered
@transaction.atomic
def appointment_confirm(
    *,
    appointment_id: int,
    by: User | None,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
    channel: str = Channel.CALL,
) -> Appointment:
    """Reconfirm with the customer (APT-04), refining the window to an hour (APT-01)."""
    now = clock_now()
    ns = norms_snapshot()
    appt, order = _appointment_lock(appointment_id, by=by)
    before = audit_snapshot(appt)
    if window_start is not None:
        start, end, _ = _window(
            day=None, half_day=appt.half_day, start=window_start, end=window_end, ns=ns
        )
        if not (appt.window_start <= start and end <= appt.window_end):
            raise ValidationFailed(
                "appointment.outside_half_day",
                "细化的时间窗须在原预约时段内",
                field="window_start",
                rule="APT-01",
            )
        verdict = rules.check_window(start=start, end=end, ns=ns)
        if not verdict.kept:
            raise RuleViolation(
                "appointment.window_too_long", verdict.reason, rule="APT-01", field="window_end"
            )
        appt.window_start, appt.window_end = start, end
    appt.confirmed_at = now
    appt.save(update_fields=["window_start", "window_end", "confirmed_at"])
    audit_record(
        actor=by, action="appointment.confirm", obj=appt, before=before, after=audit_snapshot(appt)
    )
    contact_log(
        order,
        channel=channel,
        purpose=ContactPurpose.RECONFIRM,
        outcome=ContactOutcome.ANSWERED,
        by=by,
        appointment=appt,
    )
    return appt


@refusals_remembered
@transaction.atomic
def appointment_reschedule(
    *,
    appointment_id: int,
    initiator: str,
    by: User | None,
    reason_code: str = "",
    consent: bool = False,
    day: dt.date | None = None,
    half_day: str | None = None,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
    channel: str = Channel.CALL,
) -> Appointment:
    """A customer may always change (APT-05); we change only with consent and a reason (APT-06)."""
    now = clock_now()
    ns = norms_snapshot()
    appt, order = _appointment_lock(appointment_id, by=by)
    if initiator == Initiator.PROVIDER:
        codes = norm_get("APT-06").param("reason_codes").default
        if reason_code not in codes:
            raise RuleViolation(
                "appointment.reason_required",
                f"我方改约须选择原因：{'、'.join(codes)}",
                rule="APT-06",
                field="reason_code",
            )
        if consent is not True:
            raise RuleViolation(
                "appointment.consent_required",
                "我方改约须征得客户同意",
                rule="APT-06",
                field="consent",
            )
    elif initiator != Initiator.CUSTOMER:
        raise ValidationFailed(
            "appointment.initiator", "initiator 须为 customer 或 provider", field="initiator"
        )
    start, end, hd = _window(day=day, half_day=half_day, start=window_start, end=window_end, ns=ns)
    _check_slot(order, start, end, now, ns)
    against = initiator == Initiator.PROVIDER and rules.provider_reason_counts_against_team(
        reason_code
    )
    before = audit_snapshot(appt)
    timers_cancel_for_appointment(appointment_id=appt.id)
    # Retire the old one first: the order may hold only one active appointment at a time.
    appt.status = AppointmentStatus.RESCHEDULED
    appt.save(update_fields=["status"])
    new = _create(order, start, end, hd, now)
    appt.replaced_by = new
    appt.change_initiator, appt.change_reason, appt.counts_against_team = (
        initiator,
        reason_code,
        against,
    )
    appt.save(
        update_fields=[
            "replaced_by",
            "change_initiator",
            "change_reason",
            "counts_against_team",
        ]
    )
    audit_record(
        actor=by,
        action="appointment.reschedule",
        obj=appt,
        before=before,
        after=audit_snapshot(appt),
    )
    audit_record(actor=by, action="appointment.book", obj=new, before={}, after=audit_snapshot(new))
    if order.status != "scheduled":
        transition(
            order,
            "schedule",
            at=now,
            by=by,
            msg="schedule.rescheduled",
            args={"initiator": initiator},
        )
    contact_log(
        order,
        channel=channel,
        purpose=ContactPurpose.RESCHEDULE,
        outcome=ContactOutcome.ANSWERED,
        by=by,
        appointment=new,
    )
    norm = "APT-06" if initiator == Initiator.PROVIDER else "APT-05"
    # No reason given: the customer's own request (ours must name one, APT-06).
    asked = reason_code or {"zh": "客户要求", "en": "the customer's request"}
    code = "apt06.rescheduled_against_team" if against else "apt05.rescheduled"
    why = reason_msg(code, change_reason=asked)
    verdict_record(order, Verdict.keep(norm, why, against_team=against), at=now, by=by)
    return new


@refusals_remembered
@transaction.atomic
def appointment_cancel(
    *, appointment_id: int, by: User | None, reason: str = "客户取消", channel: str = Channel.CALL
) -> Appointment:
    """A customer's cancellation is always accepted and recorded with its channel (APT-05)."""
    now = clock_now()
    appt, order = _appointment_lock(appointment_id, by=by)
    before = audit_snapshot(appt)
    timers_cancel_for_appointment(appointment_id=appt.id)
    appt.status = AppointmentStatus.CANCELLED
    appt.change_initiator = Initiator.CUSTOMER
    appt.save(update_fields=["status", "change_initiator"])
    audit_record(
        actor=by, action="appointment.cancel", obj=appt, before=before, after=audit_snapshot(appt)
    )
    transition(order, "cancel", at=now, by=by, reason=reason)
    event_record(
        order,
        action="appointment_cancel",
        at=now,
        by=by,
        msg="cancel.via",
        args={"channel": channel},
    )
    cancelled = reason_msg("apt05.cancelled_via", cancel_channel=str(channel))
    verdict_record(order, Verdict.keep("APT-05", cancelled), at=now, by=by)
    return appt
