"""Reads of orders for the API, pages and reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from guifan.apps.accounts.models import User
from guifan.apps.orders.access import Act, not_found, order_q, order_require
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment, OrderEvent, WorkOrder


def order_list(
    *, by: User | None, status: str | None = None, area: str | None = None, limit: int = 100
) -> QuerySet[WorkOrder]:
    """The orders ``by`` may see (``orders.access.order_q``), newest first."""
    qs = (
        WorkOrder.objects.select_related("area", "customer", "address")
        .prefetch_related("linked_orders")
        .filter(order_q(by))
    )
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(area__code=area)
    return qs.order_by("-received_at", "-id")[: max(1, min(limit, 1000))]


def order_get(*, order_id: int, by: User | None, detail: bool = True) -> WorkOrder:
    """One order ``by`` may see; anyone else's is a 404 like a missing one."""
    qs = WorkOrder.objects.select_related(
        "area", "customer", "address", "technician"
    ).prefetch_related("linked_orders")
    if detail:
        qs = qs.prefetch_related(Prefetch("events"), Prefetch("appointments"), Prefetch("contacts"))
    try:
        order = qs.get(id=order_id)  # no ORDER BY of the model's ordering to build
    except WorkOrder.DoesNotExist:
        raise not_found(order_id) from None
    return order_require(order, by=by, act=Act.READ)


def recent_events(*, order_id: int, limit: int = 8) -> list[OrderEvent]:
    """The order's last ``limit`` events, oldest first."""
    rows = OrderEvent.objects.filter(order_id=order_id).order_by("-at", "-id")[:limit]
    return list(reversed(rows))


def order_summary(order: WorkOrder) -> dict[str, Any]:
    """The masked view of an order (SEC-01: phone shows first 3 + last 4 digits)."""
    return {
        "id": order.id,
        "number": order.number,
        "source": order.source,
        "external_id": order.intake_key,
        "status": order.status,
        "service_type": order.service_type,
        "kind": order.kind,
        "tier": order.tier,
        "area": order.area.code,
        "customer_name": order.customer.name,
        "phone_masked": order.customer.masked_phone,
        "address": order.address.text,
        "description": order.description,
        "received_at": order.received_at,
        "due_at": order.due_at,
        "technician_id": order.technician_id,
        "version": order.version,
        "products": order.product_lines,
        "linked_to": order.linked_to_id,
        "linked_order_ids": [o.id for o in order.linked_orders.all()],
    }


def order_detail(order: WorkOrder) -> dict[str, Any]:
    return {
        **order_summary(order),
        "events": list(order.events.all()),
        "appointments": list(order.appointments.all()),
        "contacts": list(order.contacts.all()),
    }


def appointment_day_list(*, area_code: str, day: dt.date) -> list[dict[str, Any]]:
    """A service area's active visits of one day (the technicians' route lists)."""
    rows = Appointment.objects.filter(
        order__area__code=area_code, date=day, status=AppointmentStatus.ACTIVE
    ).order_by("window_start")
    return [
        dict(row)
        for row in rows.values(
            "id",
            "order_id",
            "date",
            "window_start",
            "window_end",
            "confirmed_at",
            "technician_id",
            "planned_departure",
            "planned_arrival",
        )
    ]
