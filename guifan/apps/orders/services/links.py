"""Customer links: a signed, expiring URL (no login) to see, confirm, change or cancel a visit.

The token is signed with Django's signing (SECRET_KEY plus a salt of its own) and carries the
order, the appointment and the expiry. The expiry is read against ``guifan.clock`` rather than
``signing``'s own max_age, which uses the system time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from guifan.apps.accounts.models import User
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import (
    AppointmentStatus,
    Channel,
    ContactPurpose,
    HalfDay,
    Initiator,
    Status,
)
from guifan.apps.orders.models import Appointment, Contact, WorkOrder
from guifan.apps.orders.senders import get_sender
from guifan.apps.orders.services.appointments import (
    appointment_cancel,
    appointment_confirm,
    appointment_reschedule,
)
from guifan.apps.orders.services.contacts import contact_log
from guifan.apps.orders.services.records import event_record, order_lock
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, NotFound

SALT = "guifan.orders.customer_link"
# A reschedule chain longer than this is a data fault, not a customer's history.
MAX_HOPS = 50
# Order states in which the customer may still confirm, change or cancel the visit.
CHANGEABLE = frozenset({Status.SCHEDULED, Status.DISPATCHED})


class LinkExpired(GuifanError):
    """A genuine link past its expiry."""

    http_status = 410


@dataclass(frozen=True, slots=True)
class IssuedLink:
    path: str
    expires_at: dt.datetime
    appointment_id: int


@dataclass(frozen=True, slots=True)
class CustomerLink:
    """An opened link: the order and its current appointment (replacements followed)."""

    order: WorkOrder
    appointment: Appointment
    expires_at: dt.datetime

    @property
    def actionable(self) -> bool:
        return (
            self.appointment.status == AppointmentStatus.ACTIVE and self.order.status in CHANGEABLE
        )


def _sign(appt: Appointment, now: dt.datetime) -> IssuedLink:
    # Whole seconds: the token carries a Unix timestamp.
    expires_at = (now + dt.timedelta(hours=settings.GUIFAN_CUSTOMER_LINK_HOURS)).replace(
        microsecond=0
    )
    payload = {"o": appt.order_id, "a": appt.id, "e": int(expires_at.timestamp())}
    token = signing.Signer(salt=SALT).sign_object(payload, compress=True)
    path = reverse("links:appointment", kwargs={"token": token})
    return IssuedLink(path=path, expires_at=expires_at, appointment_id=appt.id)


def customer_link_make(*, appointment_id: int, now: dt.datetime | None = None) -> str:
    """The path of a customer link to ``appointment_id``, valid GUIFAN_CUSTOMER_LINK_HOURS."""
    appt = Appointment.objects.filter(id=appointment_id).first()
    if appt is None:
        raise NotFound(
            "appointment.not_found", f"预约 {appointment_id} 不存在", field="appointment_id"
        )
    return _sign(appt, now or clock_now()).path


@transaction.atomic
def customer_link_issue(*, order_id: int, by: User | None) -> IssuedLink:
    """A link to the order's latest appointment; who handed the customer a link is logged."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.OFFICE)
    appt = order.appointments.order_by("-id").first()
    if appt is None:
        raise NotFound("link.no_appointment", "工单尚无预约，无法生成客户链接", field="order_id")
    issued = _sign(_current(appt), now)
    event_record(
        order,
        action="customer_link",
        at=now,
        by=by,
        detail={
            "appointment_id": issued.appointment_id,
            "expires_at": issued.expires_at.isoformat(),
        },
    )
    return issued


def _sms_body(order: WorkOrder, appt: Appointment, url: str, expires_at: dt.datetime) -> str:
    start, end, until = local(appt.window_start), local(appt.window_end), local(expires_at)
    half_day = HalfDay(appt.half_day).label
    return (
        f"{order.customer.name}{order.customer.title}您好，您的上门服务预约在"
        f"{start.month}月{start.day}日{half_day} {start:%H:%M}-{end:%H:%M}"
        f"（工单 {order.number}）。确认、改约或取消请打开 {url} ，"
        f"链接在 {until.month}月{until.day}日 {until:%H:%M} 前有效。"
    )


@transaction.atomic
def customer_link_send(
    *, order_id: int, by: User | None, base_url: str
) -> tuple[IssuedLink, Contact]:
    """Issue a link and text it to the customer; the SMS is logged as a reconfirmation contact."""
    issued = customer_link_issue(order_id=order_id, by=by)
    order = order_lock(order_id, by=by, act=Act.OFFICE)
    appt = Appointment.objects.get(id=issued.appointment_id)
    base = base_url.rstrip("/")
    url = f"{base}{issued.path}"
    body = _sms_body(order, appt, url, issued.expires_at)
    key = f"link:{appt.id}:{int(issued.expires_at.timestamp())}"
    outcome = get_sender().send(to=order.customer.phone, channel=Channel.SMS, body=body, key=key)
    contact = contact_log(
        order,
        channel=Channel.SMS,
        purpose=ContactPurpose.RECONFIRM,
        outcome=outcome,
        by=by,
        body=body,
        appointment=appt,
    )
    return issued, contact


def _current(appt: Appointment) -> Appointment:
    """Follow reschedules to the appointment that replaced this one last."""
    for _ in range(MAX_HOPS):
        if appt.replaced_by_id is None:
            return appt
        appt = Appointment.objects.select_related("technician").get(id=appt.replaced_by_id)
    return appt


def _payload(token: str) -> dict[str, Any]:
    invalid = NotFound("link.invalid", "链接无效或已被改动", field="token")
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError, TypeError):
        raise invalid from None
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(k), int) for k in ("o", "a", "e")
    ):
        raise invalid
    return payload


def customer_link_open(*, token: str) -> CustomerLink:
    """Verify ``token`` (NotFound when forged or unknown, LinkExpired when old) and load it."""
    payload = _payload(token)
    expires_at = dt.datetime.fromtimestamp(payload["e"], tz=dt.UTC)
    if clock_now() >= expires_at:
        raise LinkExpired("link.expired", "链接已过期", field="token")
    appt = (
        Appointment.objects.select_related("technician")
        .filter(id=payload["a"], order_id=payload["o"])
        .first()
    )
    if appt is None:
        raise NotFound("link.invalid", "链接无效或已被改动", field="token")
    appt = _current(appt)
    order = (
        WorkOrder.objects.select_related("customer", "address", "technician", "area")
        .filter(id=payload["o"])
        .get()
    )
    return CustomerLink(order=order, appointment=appt, expires_at=expires_at)


def _checked(token: str, *, version: int, appointment_id: int) -> CustomerLink:
    """Re-open the link under the order's lock; a page older than the order is refused."""
    order_lock(_payload(token)["o"], by=None, act=Act.FIELD)
    link = customer_link_open(token=token)
    # A link acts on its own order's appointments only; any other id is not found (no leak).
    if not Appointment.objects.filter(id=appointment_id, order_id=link.order.id).exists():
        raise NotFound("appointment.not_found", "预约不存在", field="appointment_id")
    if link.order.version != version or link.appointment.id != appointment_id:
        raise Conflict(
            "link.stale",
            "预约信息已有变化，请核对最新信息后再操作",
            field="version",
            extra={"version": link.order.version, "appointment_id": link.appointment.id},
        )
    if not link.actionable:
        raise Conflict("link.closed", "当前状态下不能再通过链接修改预约", field="appointment_id")
    return link


@transaction.atomic
def customer_link_confirm(*, token: str, version: int, appointment_id: int) -> Appointment:
    """The customer confirms the visit through the link (APT-04 reconfirmation, APT-05)."""
    link = _checked(token, version=version, appointment_id=appointment_id)
    return appointment_confirm(appointment_id=link.appointment.id, by=None, channel=Channel.LINK)


@transaction.atomic
def customer_link_reschedule(
    *, token: str, version: int, appointment_id: int, window_start: dt.datetime
) -> Appointment:
    """The customer moves the visit to another slot (APT-05; the slot rules of APT-03 hold)."""
    link = _checked(token, version=version, appointment_id=appointment_id)
    return appointment_reschedule(
        appointment_id=link.appointment.id,
        initiator=Initiator.CUSTOMER,
        by=None,
        window_start=window_start,
        channel=Channel.LINK,
    )


@transaction.atomic
def customer_link_cancel(
    *, token: str, version: int, appointment_id: int, reason: str
) -> Appointment:
    """The customer cancels the visit, with a reason (APT-05)."""
    link = _checked(token, version=version, appointment_id=appointment_id)
    return appointment_cancel(
        appointment_id=link.appointment.id, by=None, reason=reason, channel=Channel.LINK
    )
