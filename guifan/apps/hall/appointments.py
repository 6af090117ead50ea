"""Hall appointments merged with walk-ins (ADR 0028).

A channel (an app, the hotline, staff) books a slot at a hall for a category; the customer
checks in at the kiosk with the booking code or the phone number. Checked in within the
window (HAL-02 ``appointment_checkin_early_minutes`` before to ``…_late_minutes`` after the
slot) the ticket's time is the *slot*: the calling policy places it by that time and HAL-02
counts the wait from it. Too early is refused with the time to come back; later, up to
``appointment_walk_in_minutes`` after the slot, the customer gets an ordinary walk-in ticket;
after that the booking has lapsed. A durable timer marks a booking nobody checked in for a
no-show when that last window closes.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from guifan.apps.accounts.models import User
from guifan.apps.customers.masking import mask_phone
from guifan.apps.hall.access import hall_for
from guifan.apps.hall.models import (
    AppointmentStatus,
    Hall,
    HallAppointment,
    Ticket,
)
from guifan.apps.hall.services import _issue
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from guifan.norms import NormSet

# No 0/O, 1/I/L: a code read out over the phone or typed on a kiosk is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
MOBILE = re.compile(r"^1[3-9]\d{9}$")
NO_SHOW_KIND = "hall.appointment_no_show"


@dataclass(frozen=True, slots=True)
class Window:
    """When an appointment may check in, from the catalog (HAL-02 parameters)."""

    opens: dt.datetime  # earliest check-in
    keeps_until: dt.datetime  # latest check-in that keeps the slot's place
    walk_in_until: dt.datetime  # latest check-in at all (as a walk-in)


def checkin_window(slot_at: dt.datetime, ns: NormSet | None = None) -> Window:
    ns = ns or norms_snapshot()
    early = ns.minutes("HAL-02", "appointment_checkin_early_minutes")
    late = ns.minutes("HAL-02", "appointment_checkin_late_minutes")
    walk_in = max(late, ns.minutes("HAL-02", "appointment_walk_in_minutes"))
    return Window(
        opens=slot_at - dt.timedelta(minutes=early),
        keeps_until=slot_at + dt.timedelta(minutes=late),
        walk_in_until=slot_at + dt.timedelta(minutes=walk_in),
    )


def mobile_phone(raw: str, *, field: str = "phone") -> str:
    """A mainland mobile number (the booking code and messages go by SMS)."""
    phone = (raw or "").strip().replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not MOBILE.match(phone):
        raise ValidationFailed("phone.malformed", "请填写11位手机号码", field=field)
    return phone


def _category(hall: Hall, category: str) -> str:
    if category not in hall.categories:
        raise ValidationFailed(
            "ticket.category", f"类别须为 {'/'.join(hall.categories)}", field="category"
        )
    return category


def _aware(at: dt.datetime) -> dt.datetime:
    """A time without a zone is the hall's local time (Asia/Shanghai)."""
    return at.replace(tzinfo=ZONE) if at.tzinfo is None else at


def appointment_book(
    *,
    hall_code: str,
    by: User | None,
    category: str,
    slot_at: dt.datetime,
    phone: str,
    name: str = "",
    channel: str = "api",
) -> HallAppointment:
    """Book a slot; the booking code comes back (and goes to the customer by the channel)."""
    hall = hall_for(by=by, code=hall_code)
    _category(hall, category)
    phone = mobile_phone(phone)
    name = name.strip()
    if len(name) > 40:
        raise ValidationFailed("appointment.name", "姓名不超过40字", field="name")
    slot_at = _aware(slot_at)
    now = clock_now()
    if slot_at <= now:
        raise ValidationFailed("appointment.past", "预约时段须晚于当前时间", field="slot_at")
    ns = norms_snapshot()
    ahead = ns.minutes("HAL-02", "appointment_max_days_ahead")
    if local(slot_at).date() > local(now).date() + dt.timedelta(days=ahead):
        raise ValidationFailed(
            "appointment.too_far",
            f"最多可预约 {ahead} 天内的时段",
            field="slot_at",
            rule="HAL-02",
        )
    for _ in range(5):
        try:
            with transaction.atomic():
                appt = HallAppointment.objects.create(
                    hall=hall,
                    category=category,
                    slot_at=slot_at,
                    code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                    phone=phone,
                    name=name,
                    channel=(channel or "api")[:20],
                    booked_at=now,
                    booked_by=by,
                )
                timer_schedule(
                    kind=NO_SHOW_KIND,
                    key=_no_show_key(appt.id),
                    due_at=checkin_window(slot_at, ns).walk_in_until,
                    norm_id="HAL-02",
                    payload={"appointment": appt.id},
                )
                return appt
        except IntegrityError:
            continue  # the code was taken in this hall: draw another
    raise Conflict("appointment.busy", "预约繁忙，请重试", field="slot_at")


def _no_show_key(appointment_id: int) -> str:
    return f"hallappt:{appointment_id}:noshow"


def appointment_list(*, hall_code: str, by: User | None, day: dt.date) -> list[dict[str, Any]]:
    """The day's bookings of a hall, phones masked (SEC-01)."""
    hall = hall_for(by=by, code=hall_code)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=ZONE)
    rows = HallAppointment.objects.filter(
        hall=hall, slot_at__gte=start, slot_at__lt=start + dt.timedelta(days=1)
    ).select_related("ticket")
    return [appointment_out(a) for a in rows]


def appointment_out(a: HallAppointment) -> dict[str, Any]:
    return {
        "id": a.id,
        "code": a.code,
        "category": a.category,
        "slot_at": a.slot_at,
        "status": a.status,
        "phone": mask_phone(a.phone),
        "name": a.name,
        "checked_in_at": a.checked_in_at,
        "ticket_id": a.ticket_id,
        "ticket_code": a.ticket.code if a.ticket_id and a.ticket else None,
    }


class CheckInTooEarly(RuleViolation):
    """Too early for the window: come back at ``come_back_at``."""

    def __init__(self, appt: HallAppointment, come_back_at: dt.datetime) -> None:
        slot, back = local(appt.slot_at), local(come_back_at)
        super().__init__(
            "appointment.too_early",
            f"您预约的是 {slot:%H:%M} 的时段，请于 {back:%H:%M} 后再来签到",
            rule="HAL-02",
            field="code",
        )
        self.appointment_id = appt.id
        self.come_back_at = come_back_at
        self.extra = {"come_back_at": come_back_at.isoformat()}


@dataclass(frozen=True, slots=True)
class CheckIn:
    appointment: HallAppointment
    ticket: Ticket
    on_time: bool  # keeps the slot's place; otherwise a walk-in ticket


def appointment_check_in(
    *, hall_code: str, by: User | None, code: str = "", phone: str = ""
) -> CheckIn:
    """Check a booking in at the kiosk: a ticket at the slot's time, a walk-in when late.

    Too early is refused (422 naming HAL-02, with the time to come back), and the refusal is
    counted on the booking after the refused work rolled back.
    """
    hall = hall_for(by=by, code=hall_code)
    code = (code or "").strip().upper()
    if not code and not (phone or "").strip():
        raise ValidationFailed("appointment.key", "请输入预约码或手机号", field="code")
    try:
        return _check_in(hall=hall, code=code, phone=phone)
    except CheckInTooEarly as early:
        HallAppointment.objects.filter(id=early.appointment_id).update(
            early_refusals=F("early_refusals") + 1
        )
        raise


@transaction.atomic
def _check_in(*, hall: Hall, code: str, phone: str) -> CheckIn:
    now = clock_now()
    ns = norms_snapshot()
    rows = HallAppointment.objects.select_for_update(of=("self",)).filter(hall=hall)
    if code:
        appt = rows.filter(code=code).first()
        field = "code"
    else:
        number = mobile_phone(phone)
        today = local(now).date()
        start = dt.datetime.combine(today, dt.time.min, tzinfo=ZONE)
        candidates = list(
            rows.filter(
                phone=number,
                slot_at__gte=start,
                slot_at__lt=start + dt.timedelta(days=1),
            ).order_by("slot_at", "id")
        )
        booked = [a for a in candidates if a.status == AppointmentStatus.BOOKED]
        pool = booked or candidates
        appt = min(pool, key=lambda a: abs((a.slot_at - now).total_seconds()), default=None)
        field = "phone"
    if appt is None:
        raise NotFound("appointment.not_found", "没有找到该预约，请核对后重试", field=field)
    window = checkin_window(appt.slot_at, ns)
    if appt.status == AppointmentStatus.NO_SHOW or (
        appt.status == AppointmentStatus.BOOKED and now > window.walk_in_until
    ):
        late = (now - appt.slot_at).total_seconds() / 60
        raise RuleViolation(
            "appointment.too_late",
            f"已超过预约时段 {late:.0f} 分钟，预约已失效，请现场取号",
            rule="HAL-02",
            field=field,
        )
    if appt.status != AppointmentStatus.BOOKED:
        raise Conflict(
            "appointment.not_booked",
            f"该预约{appt.get_status_display()}，不能再签到",
            field=field,
        )
    if now < window.opens:
        raise CheckInTooEarly(appt, window.opens)
    on_time = now <= window.keeps_until
    # On time, the ticket's time is the slot: the calling policy places it by that time, and
    # HAL-02 counts the wait from it. Late, the customer queues from now like a walk-in.
    ticket = _ticket(hall=hall, category=appt.category, at=appt.slot_at if on_time else now)
    appt.status = AppointmentStatus.CHECKED_IN if on_time else AppointmentStatus.LATE
    appt.checked_in_at, appt.ticket = now, ticket
    appt.save(update_fields=["status", "checked_in_at", "ticket"])
    timer_cancel(key=_no_show_key(appt.id))
    return CheckIn(appointment=appt, ticket=ticket, on_time=on_time)


def _ticket(*, hall: Hall, category: str, at: dt.datetime) -> Ticket:
    day = local(clock_now()).date()
    for _ in range(3):
        try:
            return _issue(hall=hall, day=day, category=category, now=at, star=0, vulnerable=False)
        except IntegrityError:
            continue  # two kiosks created the day's sequence row at once: take it again
    raise Conflict("ticket.busy", "取号繁忙，请重试", field="code")


@transaction.atomic
def appointment_cancel(*, hall_code: str, by: User | None, code: str) -> HallAppointment:
    """Cancel a booking not yet checked in (its no-show timer goes with it)."""
    hall = hall_for(by=by, code=hall_code)
    appt = (
        HallAppointment.objects.select_for_update(of=("self",))
        .filter(hall=hall, code=(code or "").strip().upper())
        .first()
    )
    if appt is None:
        raise NotFound("appointment.not_found", "没有找到该预约，请核对后重试", field="code")
    if appt.status != AppointmentStatus.BOOKED:
        raise Conflict(
            "appointment.not_booked", f"该预约{appt.get_status_display()}，不能取消", field="code"
        )
    appt.status = AppointmentStatus.CANCELLED
    appt.save(update_fields=["status"])
    timer_cancel(key=_no_show_key(appt.id))
    return appt


@handler(NO_SHOW_KIND, "预约到店未签到核查")
def appointment_no_show(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """The last check-in window closed: a booking still not checked in is a no-show."""
    appt = (
        HallAppointment.objects.select_for_update(of=("self",))
        .filter(id=timer.payload["appointment"])
        .first()
    )
    if appt is None or appt.status != AppointmentStatus.BOOKED:
        return {"status": appt.status if appt else "gone"}
    until = checkin_window(appt.slot_at).walk_in_until
    if now < until:  # the window was widened since booking: look again when it closes
        timer_schedule(
            kind=NO_SHOW_KIND,
            key=f"{_no_show_key(appt.id)}:{until:%Y%m%d%H%M}",
            due_at=until,
            norm_id="HAL-02",
            payload=timer.payload,
        )
        return {"status": appt.status, "again_at": until.isoformat()}
    appt.status = AppointmentStatus.NO_SHOW
    appt.save(update_fields=["status"])
    return {"status": appt.status}
