"""/api/v1/orders: intake, reads, appointments, contacts and lifecycle. Parse, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role, User
from guifan.apps.orders import schemas as s
from guifan.apps.orders import selectors, services
from guifan.apps.orders.services.phones import customer_phone_reveal
from guifan.clock import now as clock_now
from guifan.errors import NotFound
from guifan.textinput import Limit, Text

router = Router(auth=TokenAuth(), tags=["orders"])

OFFICE = (Role.DISPATCHER, Role.SYSTEM)
FIELD = (Role.DISPATCHER, Role.SYSTEM, Role.TECHNICIAN)


@router.post("", response={200: s.OrderOut, 201: s.OrderOut})
def order_create(
    request: HttpRequest,
    response: HttpResponse,
    body: s.OrderIn,
    idempotency_key: Annotated[
        Annotated[str, Text(200)] | None, Header(alias="Idempotency-Key")
    ] = None,
) -> Status[Any]:
    user = request_user(request, *OFFICE)
    data = services.OrderIntake(
        customer_name=body.customer.name,
        phone=body.customer.phone,
        tier=body.customer.tier,
        title=body.customer.title,
        address=body.address.text,
        lat=body.address.lat,
        lon=body.address.lon,
        area=body.address.area,
        service_type=body.service_type,
        kind=body.kind,
        description=body.description,
        requested_time=body.requested_time,
        remote_possible=body.remote_possible,
        products=tuple(body.products or ()),
        old_address=body.old_address.text if body.old_address else "",
        old_lat=body.old_address.lat if body.old_address else None,
        old_lon=body.old_address.lon if body.old_address else None,
        plan_mbps=body.plan_mbps,
    )
    key = idempotency_key or body.external_id or ""
    order, created = services.work_order_intake(
        data=data, source=f"api:{user.username}", key=key, by=user
    )
    summary = selectors.order_summary(selectors.order_get(order_id=order.id, by=user))
    return Status(201 if created else 200, summary)


@router.get("", response=list[s.OrderOut])
def order_list(
    request: HttpRequest,
    status: Annotated[str, Text(24)] | None = None,
    area: Annotated[str, Text(20)] | None = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    user = request_user(request, *FIELD, Role.QUALITY)
    orders = services.order_list_read(by=user, status=status, area=area, limit=limit)
    return [selectors.order_summary(o) for o in orders]


@router.get("/{order_id}", response=s.OrderDetailOut)
def order_detail(request: HttpRequest, order_id: int) -> dict[str, Any]:
    user = request_user(request, *FIELD, Role.QUALITY)
    return selectors.order_detail(services.order_detail_read(order_id=order_id, by=user))


@router.get("/{order_id}/phone", response=dict)
def phone_reveal(request: HttpRequest, order_id: int) -> dict[str, str]:
    """SEC-01: the full number, logged; dispatchers and the assigned technician only."""
    user = request_user(request, Role.DISPATCHER, Role.TECHNICIAN)
    return {"phone": customer_phone_reveal(order_id=order_id, by=user)}


@router.get("/{order_id}/appointments", response=list[s.AppointmentOut])
def appointment_list(request: HttpRequest, order_id: int) -> list[Any]:
    user = request_user(request, *FIELD, Role.QUALITY)
    return list(selectors.order_get(order_id=order_id, by=user, detail=False).appointments.all())


@router.get("/{order_id}/slots", response=list[s.SlotOut])
def slot_list(request: HttpRequest, order_id: int, days: int = 7) -> list[Any]:
    user = request_user(request, *FIELD)
    order = selectors.order_get(order_id=order_id, by=user)
    return list(
        services.appointment_slots(order=order, now=clock_now(), days=max(1, min(days, 31)))
    )


@router.post("/{order_id}/appointments", response={201: s.AppointmentOut})
def appointment_create(request: HttpRequest, order_id: int, body: s.AppointmentIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    appt = services.appointment_book(
        order_id=order_id,
        by=user,
        day=body.date,
        half_day=body.half_day,
        window_start=body.window_start,
        window_end=body.window_end,
        channel=body.channel,
    )
    return Status(201, appt)


@router.post("/{order_id}/appointments/{appointment_id}/confirm", response=s.AppointmentOut)
def appointment_confirm(
    request: HttpRequest, order_id: int, appointment_id: int, body: s.ConfirmIn
) -> Any:
    user = request_user(request, *FIELD)
    _belongs(order_id, appointment_id, user)
    return services.appointment_confirm(
        appointment_id=appointment_id,
        by=user,
        window_start=body.window_start,
        window_end=body.window_end,
        channel=body.channel,
    )


@router.post(
    "/{order_id}/appointments/{appointment_id}/reschedule", response={201: s.AppointmentOut}
)
def appointment_reschedule(
    request: HttpRequest, order_id: int, appointment_id: int, body: s.RescheduleIn
) -> Status[Any]:
    user = request_user(request, *FIELD)
    _belongs(order_id, appointment_id, user)
    appt = services.appointment_reschedule(
        appointment_id=appointment_id,
        initiator=body.initiator,
        by=user,
        reason_code=body.reason_code,
        consent=body.consent,
        day=body.date,
        half_day=body.half_day,
        window_start=body.window_start,
        window_end=body.window_end,
        channel=body.channel,
    )
    return Status(201, appt)


@router.post("/{order_id}/appointments/{appointment_id}/cancel", response=s.AppointmentOut)
def appointment_cancel(request: HttpRequest, order_id: int, appointment_id: int) -> Any:
    user = request_user(request, *FIELD)
    _belongs(order_id, appointment_id, user)
    return services.appointment_cancel(appointment_id=appointment_id, by=user)


def _belongs(order_id: int, appointment_id: int, by: User) -> None:
    """The path's appointment must be one of the path's order, which ``by`` may see."""
    order = selectors.order_get(order_id=order_id, by=by, detail=False)
    if not order.appointments.filter(id=appointment_id).exists():
        raise NotFound(
            "appointment.not_found",
            f"预约 {appointment_id} 不属于工单 {order_id}",
            field="appointment_id",
        )


class CustomerLinkOut(Schema):
    url: str
    expires_at: dt.datetime
    sms_outcome: str | None = None


@router.post("/{order_id}/customer-link", response=CustomerLinkOut)
def customer_link_create(request: HttpRequest, order_id: int, send: bool = False) -> dict[str, Any]:
    """A signed, expiring link for the customer to see, confirm, change or cancel the visit;
    ``?send=true`` also texts it to the customer through the contact sender."""
    user = request_user(request, *OFFICE)
    if send:
        issued, contact = services.customer_link_send(
            order_id=order_id, by=user, base_url=request.build_absolute_uri("/")
        )
        outcome: str | None = contact.outcome
    else:
        issued, outcome = services.customer_link_issue(order_id=order_id, by=user), None
    url = request.build_absolute_uri(issued.path)
    return {"url": url, "expires_at": issued.expires_at, "sms_outcome": outcome}


@router.post("/{order_id}/contacts", response={201: s.ContactOut})
def contact_create(request: HttpRequest, order_id: int, body: s.ContactIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    contact = services.contact_record(
        order_id=order_id,
        channel=body.channel,
        purpose=body.purpose,
        outcome=body.outcome,
        by=user,
        body=body.body,
        appointment_id=body.appointment_id,
        confirmed=body.confirmed.dict() if body.confirmed else None,
    )
    return Status(201, contact)


@router.post("/{order_id}/transitions", response=s.OrderOut)
def transition_create(request: HttpRequest, order_id: int, body: s.TransitionIn) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    order = services.work_order_transition(
        order_id=order_id,
        action=body.action,
        by=user,
        reason=body.reason,
        expected_version=body.version,
    )
    return selectors.order_summary(order)


@router.post("/{order_id}/analysis", response=s.OrderOut)
def analysis_create(request: HttpRequest, order_id: int, body: s.AnalysisIn) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    return selectors.order_summary(
        services.work_order_analyse(order_id=order_id, analysis=body.analysis, by=user)
    )


@router.post("/{order_id}/remote", response=s.OrderOut)
def remote_create(request: HttpRequest, order_id: int, body: s.RemoteIn) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    order = services.work_order_remote(
        order_id=order_id, resolved=body.resolved, channel=body.channel, by=user
    )
    return selectors.order_summary(order)


@router.post("/{order_id}/assign", response=s.AppointmentOut)
def assign_create(request: HttpRequest, order_id: int, body: s.AssignIn) -> Any:
    user = request_user(request, *OFFICE)
    return services.visit_assign(
        order_id=order_id,
        technician_id=body.technician_id,
        planned_arrival=body.planned_arrival,
        planned_departure=body.planned_departure,
        expected_version=body.version,
        by=user,
        confirm=body.confirm,
    )


@router.post("/{order_id}/escalations", response={201: dict})
def escalation_create(request: HttpRequest, order_id: int, body: s.EscalationIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    esc = services.order_escalate(
        order_id=order_id, reason_code=body.reason_code, note=body.note, by=user
    )
    return Status(
        201, {"id": esc.id, "filed_at": esc.filed_at.isoformat(), "reason_code": esc.reason_code}
    )


@router.post("/{order_id}/bring-back", response={201: dict})
def bring_back_create(request: HttpRequest, order_id: int, body: s.BringBackIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    form = services.visit_bring_back(order_id=order_id, by=user, **body.dict())
    return Status(201, {"id": form.id, "signed_at": form.signed_at.isoformat()})


@router.post("/{order_id}/resource-missing", response={201: dict})
def resource_missing_create(
    request: HttpRequest, order_id: int, body: s.ResourceMissingIn
) -> Status[Any]:
    user = request_user(request, *FIELD)
    reg = services.order_resource_missing(order_id=order_id, by=user, **body.dict())
    return Status(201, {"id": reg.id, "registered_at": reg.registered_at.isoformat()})
