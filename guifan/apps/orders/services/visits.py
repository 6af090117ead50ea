"""The visit: assignment (DSP-05), the 30-minute notice (APT-07), arrival (APT-08), completion
(ORD-08) and bring-back repairs (ORD-06)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record, audit_snapshot
from guifan.apps.norms.refusals import refusals_remembered
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import (
    REACHED,
    AppointmentStatus,
    Channel,
    ContactPurpose,
    OrderKind,
)
from guifan.apps.orders.models import Appointment, BringBackForm, Contact, WorkOrder
from guifan.apps.orders.services.activations import visit_count_check
from guifan.apps.orders.services.assign_checks import assign_confirmation_needed
from guifan.apps.orders.services.contacts import contact_log
from guifan.apps.orders.services.kit import kit_departure_check
from guifan.apps.orders.services.moves import removal_start_check
from guifan.apps.orders.services.records import (
    order_lock,
    refusal_record,
    transition,
    verdict_record,
    verdicts_record,
)
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.apps.workforce.access import area_may_dispatch
from guifan.apps.workforce.models import Certification, Technician
from guifan.apps.workforce.readiness import readiness_gaps
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import NotFound, RuleViolation, ValidationFailed
from guifan.norms import Verdict, norm_get, rules
from guifan.norms.reasons import LABELS, Reason, reason, work_type_names


def active_appointment(order: WorkOrder) -> Appointment:
    appt = order.appointments.filter(status=AppointmentStatus.ACTIVE).order_by("-id").first()
    if appt is None:
        raise ValidationFailed("visit.no_appointment", "工单没有有效预约", field="order_id")
    return appt


def technician_certified(technician: Technician, work_type: str, day: dt.date) -> bool:
    return Certification.objects.filter(
        technician=technician, work_type=work_type, valid_until__gte=day
    ).exists()


def technician_unready(technician: Technician, work_type: str, day: dt.date) -> list[Reason]:
    """Why STF-04 keeps ``technician`` from the work on ``day``: the certificate for the work
    type has expired, or required training is missing (``workforce.readiness``)."""
    reasons = [
        reason(
            "stf04.certificate_expired",
            work_type=work_type_names(work_type),
            until=str(c.valid_until),
        )
        for c in Certification.objects.filter(
            technician=technician, work_type=work_type, valid_until__lt=day
        )
    ]
    return reasons + readiness_gaps(technician.badge_no, day)


@refusals_remembered
def visit_assign(
    *,
    order_id: int,
    technician_id: int,
    planned_arrival: dt.datetime,
    planned_departure: dt.datetime | None = None,
    expected_version: int | None = None,
    by: User | None,
    confirm: bool | None = None,
) -> Appointment:
    """Assign the visit to a certified technician (DSP-05) and arm the 30-minute notice.

    ``confirm=False`` (a dispatcher's client that handles warnings) refuses a double booking,
    a visit past the shift or an arrival outside DSP-02's margin with 409
    ``visit.needs_confirmation`` naming each rule, writing nothing; ``confirm=True`` assigns
    anyway. ``None`` (the planner, callers written before the warnings) does not ask.

    ``expected_version`` is the order's version the dispatcher (or planner) read: a changed
    order is refused (409), so of two dispatchers only the first wins. Callers without a
    read (tests, internal set-up) pass None. A technician kept from work by STF-04 (expired
    certificate, missing training) is refused, and the attempt recorded as STF-04 broken
    for that technician once the refused transaction has rolled back.
    """
    try:
        return _visit_assign(
            order_id=order_id,
            technician_id=technician_id,
            planned_arrival=planned_arrival,
            planned_departure=planned_departure,
            expected_version=expected_version,
            by=by,
            confirm=confirm,
        )
    except RuleViolation as exc:
        badge = getattr(exc, "stf04_badge", None)
        if exc.rule == "STF-04" and badge:
            why = reason(
                "stf04.assign_refused",
                message=exc.message,
                error_code=exc.code,
                error_rule=exc.rule or "",
            )
            verdict = Verdict.broke("STF-04", why, technician=badge)
            refusal_record(order_id, [verdict], at=clock_now(), by=by, exc=exc, person=badge)
        raise


@transaction.atomic
def _visit_assign(
    *,
    order_id: int,
    technician_id: int,
    planned_arrival: dt.datetime,
    planned_departure: dt.datetime | None,
    expected_version: int | None,
    by: User | None,
    confirm: bool | None = None,
) -> Appointment:
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.OFFICE, expected_version=expected_version)
    appt = active_appointment(order)
    tech = Technician.objects.select_related("area").filter(id=technician_id, active=True).first()
    if tech is None or not area_may_dispatch(by, tech.area):
        raise NotFound(
            "technician.not_found",
            f"装维人员 {technician_id} 不存在或不在岗",
            field="technician_id",
        )
    unready = technician_unready(tech, order.work_type, appt.date)
    if unready:
        refused = RuleViolation(
            "visit.not_ready",
            f"{tech} 不能上岗：{'；'.join(r.zh() for r in unready)}",
            rule="STF-04",
            field="technician_id",
        )
        refused.stf04_badge = tech.badge_no  # type: ignore[attr-defined]  # who was refused
        raise refused
    if not technician_certified(tech, order.work_type, appt.date):
        raise RuleViolation(
            "visit.not_certified",
            f"{tech} 无 {work_type_names(order.work_type)['zh']} 有效资格认证",
            rule="DSP-05",
            field="technician_id",
        )
    if confirm is False:
        assign_confirmation_needed(appt, tech, planned_arrival)
    old_tech, before = order.technician_id, audit_snapshot(appt)
    order.technician = tech
    order.save(update_fields=["technician"])
    appt.technician = tech
    appt.planned_arrival, appt.planned_departure = planned_arrival, planned_departure
    appt.save(update_fields=["technician", "planned_arrival", "planned_departure"])
    audit_record(
        actor=by,
        action="order.assign",
        obj=order,
        before={"technician_id": old_tech},
        after={"technician_id": tech.id},
    )
    audit_record(
        actor=by, action="appointment.assign", obj=appt, before=before, after=audit_snapshot(appt)
    )
    transition(order, "dispatch", at=now, by=by, msg="dispatch.to", args={"badge": tech.badge_no})
    # A service type without a Chinese label (IPTV, IMS) is passed as its name.
    service = order.service_type
    if service not in LABELS["work_service"]:
        service = order.get_service_type_display()
    certified = reason(
        "dsp05.certified", badge=tech.badge_no, work_service=service, work_kind=order.kind
    )
    # STF-04 is checked on every assignment: kept when certificate and training let it pass.
    verdicts_record(
        order,
        [
            Verdict.keep("DSP-05", certified),
            Verdict.keep("STF-04", reason("stf04.qualified", badge=tech.badge_no)),
        ],
        at=now,
        by=by,
    )
    _arm_assignment_timers(order, appt)
    return appt


# The timers that belong to one assignment (technician and planned arrival).
ASSIGNMENT_TIMERS = ("apt07.arrival_notice", "dsp04.late_check")


def _arm_assignment_timers(order: WorkOrder, appt: Appointment) -> None:
    """Arm the 30-minute notice (APT-07) and the late check (DSP-04) of this assignment.

    Each assignment is keyed by the order version that made it, so a reassignment (any
    technician, any time) replaces the pending timers of the previous one and is armed even
    when the previous one's already fired: the customer hears who actually comes.
    """
    assert appt.planned_arrival is not None
    Timer.objects.filter(
        appointment_id=appt.id, kind__in=ASSIGNMENT_TIMERS, status=TimerStatus.PENDING
    ).update(status=TimerStatus.CANCELLED)
    assignment = f"{appt.id}:v{order.version}"
    ns = norms_snapshot()
    due = rules.arrival_notice_due(planned_arrival=appt.planned_arrival, ns=ns)
    # DSP-04: a moment early enough to still call in time if the technician is not under way.
    lead = dt.timedelta(minutes=ns.minutes("DSP-04", "late_call_lead_minutes") + 5)
    timer_schedule(
        kind="dsp04.late_check",
        key=f"dsp04:{assignment}",
        due_at=max(appt.window_end - lead, appt.planned_arrival),
        norm_id="DSP-04",
        order_id=order.id,
        appointment_id=appt.id,
    )
    timer_schedule(
        kind="apt07.arrival_notice",
        key=f"apt07:{assignment}",
        due_at=due,
        norm_id="APT-07",
        order_id=order.id,
        appointment_id=appt.id,
    )


def visit_step(
    order: WorkOrder,
    action: str,
    *,
    at: dt.datetime,
    by: User | None,
    detail: dict[str, Any] | None = None,
) -> WorkOrder:
    """depart / arrive / complete on a locked order.

    Departure needs the move's new line live for a removal (ORD-10) and today's complete
    kit check (DSP-06); an arrival beyond the first of an install breaks ORD-09.
    """
    if action == "depart":
        removal_start_check(order, at=at, by=by)
        kit_departure_check(order, at=at, by=by)
        return transition(order, "depart", at=at, by=by)
    if action == "arrive":
        transition(order, "arrive", at=at, by=by)
        _arrived(order, at=at, by=by)
        visit_count_check(order, at=at, by=by)
        return order
    order.completed_at = at
    transition(order, "complete", at=at, by=by, detail=detail)
    _completed(order, at=at, by=by)
    return order


def _arrived(order: WorkOrder, *, at: dt.datetime, by: User | None) -> None:
    appt = active_appointment(order)
    before = audit_snapshot(appt)
    appt.arrived_at = at
    appt.status = AppointmentStatus.DONE
    appt.save(update_fields=["arrived_at", "status"])
    audit_record(
        actor=by, action="appointment.arrive", obj=appt, before=before, after=audit_snapshot(appt)
    )
    on_time = at <= appt.window_end
    if not on_time:
        _late_call_verdict(order, appt, at=at, by=by)
    failed_calls = (
        Contact.objects.filter(order=order, channel=Channel.CALL)
        .exclude(outcome__in=REACHED)
        .exists()
    )
    if failed_calls:
        verdict = (
            Verdict.keep("APT-08", reason("apt08.unreachable_on_time"))
            if on_time
            else Verdict.broke("APT-08", reason("apt08.unreachable_not_on_time"))
        )
        verdict_record(order, verdict, at=at, by=by)


def _late_call_verdict(
    order: WorkOrder, appt: Appointment, *, at: dt.datetime, by: User | None
) -> None:
    """DSP-04: a visit arriving after its window needed a call by lead minutes before the
    promised time (the window's end: the latest moment the customer was promised)."""
    lead = dt.timedelta(minutes=norms_snapshot().minutes("DSP-04", "late_call_lead_minutes"))
    called = Contact.objects.filter(
        order=order, purpose=ContactPurpose.LATE_NOTICE, at__lte=appt.window_end - lead
    ).exists()
    late = int((at - appt.window_end).total_seconds() // 60)
    verdict = (
        Verdict.keep("DSP-04", reason("dsp04.late_called", late=late))
        if called
        else Verdict.broke(
            "DSP-04", reason("dsp04.late_not_called", late=late, lead=lead.seconds // 60)
        )
    )
    verdict_record(order, verdict, at=at, by=by)


def _completed(order: WorkOrder, *, at: dt.datetime, by: User | None) -> None:
    if order.kind != OrderKind.REPAIR or order.due_at is None:
        return
    if Timer.objects.filter(key=f"ord08:{order.id}", status=TimerStatus.PENDING).exists():
        timer_cancel(key=f"ord08:{order.id}")
        timer_cancel(key=f"qa04warn:{order.id}")
        fixed = reason("ord08.fixed_in_time", fixed_at=f"{local(at):%H:%M}")
        verdict_record(order, Verdict.keep("ORD-08", fixed), at=at, by=by)


@refusals_remembered
@transaction.atomic
def visit_bring_back(
    *,
    order_id: int,
    device_configuration: str,
    data_backup_confirmed: bool | None,
    exterior_condition: str,
    reason: str,
    customer_signature: str,
    by: User | None,
) -> BringBackForm:
    """ORD-06: the device leaves only with the reason, the customer's consent and signature."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    values = {
        "device_configuration": device_configuration,
        "exterior_condition": exterior_condition,
        "reason": reason,
        "customer_signature": customer_signature,
    }
    fields = norm_get("ORD-06").param("form_fields")
    # The form's fields by the catalog's Chinese names, for the refusal's message.
    named = dict(zip(fields.default, fields.value_zh.split("、"), strict=True))
    named["customer_signature"] = "客户签名"
    for field in [*fields.default, "customer_signature"]:
        if field == "data_backup_confirmed":
            if data_backup_confirmed is None:
                raise RuleViolation(
                    "bring_back.incomplete", "须确认数据备份情况", rule="ORD-06", field=field
                )
        elif not str(values.get(field, "")).strip():
            raise RuleViolation(
                "bring_back.incomplete",
                f"带回维修单缺少{named.get(field, field)}",
                rule="ORD-06",
                field=field,
            )
    form = BringBackForm.objects.create(
        order=order,
        device_configuration=device_configuration,
        data_backup_confirmed=bool(data_backup_confirmed),
        exterior_condition=exterior_condition,
        reason=reason,
        customer_signature=customer_signature,
        signed_at=now,
    )
    transition(order, "bring_back", at=now, by=by, reason=reason)
    verdict_record(order, _consented(), at=now, by=by)
    return form


def _consented() -> Verdict:
    """ORD-06 kept: the customer agreed and signed (``visit_bring_back`` has a ``reason``)."""
    return Verdict.keep("ORD-06", reason("ord06.customer_signed"))


def visit_call_ahead(
    order: WorkOrder, *, late: bool, outcome: str, at: dt.datetime, by: User | None
) -> Contact:
    """The technician's call before arriving, on a locked order: a late notice (DSP-04) or
    the arrival notice (APT-07), which then replaces the pending automatic message."""
    appt = active_appointment(order)
    purpose = ContactPurpose.LATE_NOTICE if late else ContactPurpose.ARRIVAL_NOTICE
    contact = contact_log(
        order, channel=Channel.CALL, purpose=purpose, outcome=outcome, by=by, appointment=appt
    )
    if late or outcome not in REACHED or appt.planned_arrival is None:
        return contact
    pending = Timer.objects.filter(
        appointment_id=appt.id, kind="apt07.arrival_notice", status=TimerStatus.PENDING
    )
    if pending.update(status=TimerStatus.CANCELLED):
        verdict = rules.check_arrival_notice(
            sent_at=at, planned_arrival=appt.planned_arrival, ns=norms_snapshot()
        )
        verdict_record(order, verdict, at=at, by=by)
    return contact
