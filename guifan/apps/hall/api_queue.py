"""/api/v1/halls/{hall}/appointments and /mobile-tickets (ADR 0028). Parse, call, render.

Channels (an app, the hotline) and staff book; the kiosk checks in; a channel takes a mobile
ticket and the customer gets its link by SMS. Phones are masked in every answer (SEC-01).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.customers.masking import mask_phone
from guifan.apps.hall.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_list,
    appointment_out,
)
from guifan.apps.hall.mobile import mobile_ticket_issue
from guifan.apps.hall.mobile_queue import ticket_position
from guifan.apps.hall.models import Ticket
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.textinput import Day, Instant, Text

router = Router(auth=TokenAuth(), tags=["hall"])
HALL = (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.SYSTEM)

HallCode = Annotated[str, Text(20)]
Category = Annotated[str, Text(2)]
Phone = Annotated[str, Text(20)]


class HallAppointmentIn(Schema):
    category: Category
    slot_at: Instant
    phone: Phone
    name: Annotated[str, Text(40)] = ""
    channel: Annotated[str, Text(20)] = "api"


class HallAppointmentOut(Schema):
    id: int
    code: str
    category: str
    slot_at: dt.datetime
    status: str
    phone: str  # masked (SEC-01)
    name: str
    checked_in_at: dt.datetime | None
    ticket_id: int | None
    ticket_code: str | None


class CheckInIn(Schema):
    code: Annotated[str, Text(8)] = ""
    phone: Phone = ""


class QueuedTicketOut(Schema):
    id: int
    code: str
    category: str
    status: str
    issued_at: dt.datetime
    ahead: int
    expected_wait_min: int


class CheckInOut(Schema):
    appointment: HallAppointmentOut
    ticket: QueuedTicketOut
    on_time: bool


class CancelIn(Schema):
    code: Annotated[str, Text(8)]


class MobileIn(Schema):
    category: Category
    phone: Phone


class MobileOut(Schema):
    id: int
    ticket: QueuedTicketOut
    phone: str  # masked (SEC-01)
    link: str
    expires_at: dt.datetime
    sms: str


def _ticket(t: Ticket) -> dict[str, Any]:
    pos = ticket_position(t, clock_now())
    return {
        "id": t.id,
        "code": t.code,
        "category": t.category,
        "status": t.status,
        "issued_at": t.issued_at,
        "ahead": pos.ahead,
        "expected_wait_min": pos.wait_min,
    }


@router.post("/{hall}/appointments", response={201: HallAppointmentOut})
def appointment_create(
    request: HttpRequest, hall: HallCode, body: HallAppointmentIn
) -> Status[Any]:
    """Book a slot for a category; the booking code is the customer's key at the kiosk."""
    user = request_user(request, *HALL)
    appt = appointment_book(
        hall_code=hall,
        by=user,
        category=body.category,
        slot_at=body.slot_at,
        phone=body.phone,
        name=body.name,
        channel=body.channel,
    )
    return Status(201, appointment_out(appt))


@router.get("/{hall}/appointments", response=list[HallAppointmentOut])
def appointments(request: HttpRequest, hall: HallCode, day: Day | None = None) -> Any:
    """The day's bookings (today by default), phones masked."""
    user = request_user(request, *HALL)
    return appointment_list(hall_code=hall, by=user, day=day or local(clock_now()).date())


@router.post("/{hall}/appointments/check-in", response={201: CheckInOut})
def check_in(request: HttpRequest, hall: HallCode, body: CheckInIn) -> Status[Any]:
    """Check in with the booking code or the phone: a ticket placed at the slot's time (422
    naming HAL-02 when too early or too late)."""
    user = request_user(request, *HALL)
    done = appointment_check_in(hall_code=hall, by=user, code=body.code, phone=body.phone)
    return Status(
        201,
        {
            "appointment": appointment_out(done.appointment),
            "ticket": _ticket(done.ticket),
            "on_time": done.on_time,
        },
    )


@router.post("/{hall}/appointments/cancel", response=HallAppointmentOut)
def cancel(request: HttpRequest, hall: HallCode, body: CancelIn) -> Any:
    user = request_user(request, *HALL)
    return appointment_out(appointment_cancel(hall_code=hall, by=user, code=body.code))


@router.post("/{hall}/mobile-tickets", response={201: MobileOut})
def mobile_ticket(request: HttpRequest, hall: HallCode, body: MobileIn) -> Status[Any]:
    """Take a ticket for a customer who is not in the hall; its link goes out by SMS."""
    user = request_user(request, *HALL)
    issued = mobile_ticket_issue(
        hall_code=hall,
        by=user,
        category=body.category,
        phone=body.phone,
        base_url=request.build_absolute_uri("/"),
    )
    m = issued.mobile
    return Status(
        201,
        {
            "id": m.id,
            "ticket": _ticket(issued.ticket),
            "phone": mask_phone(m.phone),
            "link": m.link,
            "expires_at": m.expires_at,
            "sms": m.link_outcome,
        },
    )
