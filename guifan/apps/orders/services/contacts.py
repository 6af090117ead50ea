"""Contacts with the customer: APT-02 first contact, APT-08 retries, callbacks, ORD-05 notices."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.customers.masking import phone_normalize
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import (
    REACHED,
    Channel,
    ContactOutcome,
    ContactPurpose,
    OrderKind,
    Status,
)
from guifan.apps.orders.models import Appointment, Contact, WorkOrder
from guifan.apps.orders.services.records import actor_label, order_lock, transition, verdict_record
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason


def _choice(
    value: str, choices: type[Channel] | type[ContactPurpose] | type[ContactOutcome], field: str
) -> str:
    if value not in choices.values:
        raise ValidationFailed(
            "contact.invalid",
            f"{field} 取值 {value!r} 无效，可选：{', '.join(choices.values)}",
            field=field,
        )
    return value


@transaction.atomic
def contact_record(
    *,
    order_id: int,
    channel: str,
    purpose: str,
    outcome: str,
    by: User | None,
    body: str = "",
    appointment_id: int | None = None,
    confirmed: dict[str, str] | None = None,
) -> Contact:
    """Log a contact and apply what it means for the norms it touches."""
    _choice(channel, Channel, "channel")
    _choice(purpose, ContactPurpose, "purpose")
    _choice(outcome, ContactOutcome, "outcome")
    confirmed = booking_confirmed_clean(confirmed)
    order = order_lock(order_id, by=by, act=Act.FIELD)
    appointment = None
    if appointment_id is not None:
        appointment = Appointment.objects.filter(id=appointment_id, order=order).first()
        if appointment is None:
            raise ValidationFailed(
                "contact.appointment", "预约不属于该工单", field="appointment_id"
            )
    return contact_log(
        order,
        channel=channel,
        purpose=purpose,
        outcome=outcome,
        by=by,
        body=body,
        appointment=appointment,
        confirmed=confirmed,
    )


def contact_log(
    order: WorkOrder,
    *,
    channel: str,
    purpose: str,
    outcome: str,
    by: User | None,
    body: str = "",
    appointment: Appointment | None = None,
    by_label: str = "",
    confirmed: dict[str, str] | None = None,
) -> Contact:
    """Write the contact row for a locked order, then its norm effects."""
    now = clock_now()
    first = not Contact.objects.filter(order=order).exists()
    contact = Contact.objects.create(
        order=order,
        appointment=appointment,
        channel=channel,
        purpose=purpose,
        outcome=outcome,
        at=now,
        by_label=by_label or actor_label(by),
        body=body,
        confirmed=confirmed or {},
    )
    if _is_booking_call(contact):
        _booking_confirmation(order, contact, by=by)
    if first:
        _first_contact(order, contact, by=by)
    if outcome not in REACHED and channel == Channel.CALL:
        _unreachable(order, contact, by=by)
    if purpose == ContactPurpose.CALLBACK and outcome in REACHED:
        _callback_verdicts(order, contact, by=by)
        if order.status == Status.COMPLETED:
            transition(order, "callback", at=now, by=by)
    if purpose == ContactPurpose.RESOURCE_NOTICE and outcome in REACHED:
        _resource_notice(order, contact, by=by)
    return contact


def _first_contact(order: WorkOrder, contact: Contact, *, by: User | None) -> None:
    """APT-02: the first logged attempt, answered or not, is measured against the tier deadline."""
    timer = Timer.objects.filter(key=f"apt02:{order.id}").first()
    if timer is None or timer.status != TimerStatus.PENDING:
        return
    timer_cancel(key=timer.key)
    late = contact.at > timer.due_at
    hours = (contact.at - order.received_at).total_seconds() / 3600
    verdict = (
        Verdict.broke(
            "APT-02", reason("apt02.first_contact_late", hours=hours), hours=round(hours, 2)
        )
        if late
        else Verdict.keep(
            "APT-02", reason("apt02.first_contact_took", hours=hours), hours=round(hours, 2)
        )
    )
    verdict_record(order, verdict, at=contact.at, by=by)


def _unreachable(order: WorkOrder, contact: Contact, *, by: User | None) -> None:
    """APT-08: schedule the next attempt until the minimum number of attempts is reached."""
    ns = norms_snapshot()
    failed = (
        Contact.objects.filter(order=order, channel=Channel.CALL)
        .exclude(outcome__in=REACHED)
        .count()
    )
    if failed >= ns.minutes("APT-08", "min_attempts"):
        return
    due = contact.at + dt.timedelta(minutes=ns.minutes("APT-08", "retry_interval_minutes"))
    timer_schedule(
        kind="apt08.retry",
        key=f"apt08:{order.id}:{failed}",
        due_at=due,
        norm_id="APT-08",
        order_id=order.id,
        appointment_id=contact.appointment_id,
        payload={"purpose": contact.purpose, "attempt": failed + 1},
    )


def _resource_notice(order: WorkOrder, contact: Contact, *, by: User | None) -> None:
    """ORD-05: the customer told within the limit after the resource check failed."""
    timer = Timer.objects.filter(key=f"ord05:{order.id}").first()
    if timer is None or timer.status != TimerStatus.PENDING:
        return
    timer_cancel(key=timer.key)
    verdict = Verdict.keep("ORD-05", reason("ord05.notified"))
    verdict_record(order, verdict, at=contact.at, by=by)


def _callback_verdicts(order: WorkOrder, contact: Contact, *, by: User | None) -> None:
    """ORD-03: a callback after a remote fix is kept when it lands by the due time."""
    timer = Timer.objects.filter(key=f"ord03:{order.id}").first()
    if timer is None:
        return
    if timer.status == TimerStatus.PENDING:
        timer_cancel(key=timer.key)
        verdict_record(
            order, Verdict.keep("ORD-03", reason("ord03.callback_on_time")), at=contact.at, by=by
        )
    elif contact.at > timer.due_at and not order.norm_checks.filter(norm_id="ORD-03").exists():
        late = Verdict.broke("ORD-03", reason("ord03.callback_late"))
        verdict_record(order, late, at=contact.at, by=by)


# APT-10: the booking calls are the first contact and a re-booking, answered on the phone.
BOOKING_PURPOSES = (ContactPurpose.FIRST_CONTACT, ContactPurpose.RESCHEDULE)
TELECOM = ("broadband", "fixed_line", "iptv", "ims")
SITE_KINDS = (OrderKind.INSTALL, OrderKind.MOVE)


def booking_confirmed_clean(confirmed: dict[str, str] | None) -> dict[str, str]:
    """The confirmed fields that were given, trimmed; the at-home phone validated."""
    clean = {k: str(v).strip() for k, v in (confirmed or {}).items() if str(v or "").strip()}
    if "at_home_contact_phone" in clean:
        clean["at_home_contact_phone"] = phone_normalize(
            clean["at_home_contact_phone"], field="confirmed.at_home_contact_phone"
        )
    return clean


def booking_fields(order: WorkOrder) -> list[str]:
    """The APT-10 fields this order's booking call must confirm (from the catalog)."""
    fields = list(norms_snapshot().param("APT-10", "confirm_fields"))
    site = order.kind in SITE_KINDS and order.service_type in TELECOM
    charged = order.kind in SITE_KINDS or order.service_type == "appliance"
    return [
        f for f in fields if (f != "wiring_environment" or site) and (f != "charges" or charged)
    ]


def _is_booking_call(contact: Contact) -> bool:
    return (
        contact.channel == Channel.CALL
        and contact.purpose in BOOKING_PURPOSES
        and contact.outcome == ContactOutcome.ANSWERED
    )


def _booking_confirmation(order: WorkOrder, contact: Contact, *, by: User | None) -> None:
    """APT-10 (assisted): never refused, the answered booking call is judged on what it
    recorded."""
    missing = [f for f in booking_fields(order) if f not in contact.confirmed]
    verdict = (
        Verdict.broke(
            "APT-10", reason("apt10.not_confirmed", missing_fields=missing), missing=len(missing)
        )
        if missing
        else Verdict.keep("APT-10", reason("apt10.confirmed"))
    )
    verdict_record(order, verdict, at=contact.at, by=by)
