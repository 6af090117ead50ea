"""A technician with a visit today, built through the order services (for field tests)."""

from __future__ import annotations

import datetime as dt

from guifan.apps.accounts.models import Role, User
from guifan.apps.orders import services
from guifan.apps.orders.models import WorkOrder
from guifan.clock import at_local
from tests import factories as f

MON = dt.date(2025, 6, 2)
PASSWORD = "guifan-test-1"


def field_user(username: str = "tech") -> User:
    """A technician login linked to a certified technician of area A01."""
    user = User.objects.create_user(username, password=PASSWORD, role=Role.TECHNICIAN)
    tech = f.technician(work_types=("broadband_repair",))
    tech.user = user
    tech.save(update_fields=["user"])
    return user


def field_visit(
    user: User,
    *,
    window: str = "10:40",
    arrival: str = "10:32",
    departure: str = "10:05",
    plan_mbps: int | None = None,
    kit: bool = True,
) -> WorkOrder:
    """A broadband repair for today, booked and assigned to ``user``'s technician."""
    order = f.order(kind="repair", description="宽带无法上网", title="先生", plan_mbps=plan_mbps)
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫故障"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, window))
    services.visit_assign(
        order_id=order.id,
        technician_id=user.technician.id,
        planned_arrival=at_local(MON, arrival),
        planned_departure=at_local(MON, departure),
        by=None,
    )
    if kit:
        f.kit_ready(order.id)  # DSP-06: ticked before setting off
    order.refresh_from_db()
    return order


def on_site(user: User, order: WorkOrder) -> WorkOrder:
    """Drive the visit to the customer's door through the field services."""
    from guifan.apps.fieldwork.services import field_trip_step

    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    order.refresh_from_db()
    field_trip_step(order_id=order.id, action="arrive", expected_version=order.version, by=user)
    order.refresh_from_db()
    return order
