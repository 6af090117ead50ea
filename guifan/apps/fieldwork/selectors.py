"""Reads for the technician's phone: today's route and an order's checklist state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.checklist import ChecklistStep, checklist_for
from guifan.apps.fieldwork.models import StepRecord, VisitPhoto
from guifan.apps.orders.access import not_found, order_q
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.workforce.models import Technician


def technician_of(user: User) -> Technician | None:
    return Technician.objects.filter(user=user).first()


def route_list(*, user: User, day: dt.date) -> QuerySet[Appointment]:
    """The technician's visits of ``day`` in planned order (planned arrival, then window)."""
    return (
        Appointment.objects.filter(
            technician__user=user,
            date=day,
            status__in=[AppointmentStatus.ACTIVE, AppointmentStatus.DONE],
        )
        .select_related("order", "order__customer", "order__address")
        .order_by("planned_arrival", "window_start", "id")
    )


def field_order_get(*, order_id: int, user: User) -> WorkOrder:
    """An order this technician may read (``orders.access``: assigned to them); any other
    order does not exist for them."""
    order = (
        WorkOrder.objects.select_related("customer", "address", "technician")
        .filter(order_q(user), id=order_id)
        .first()
    )
    if order is None:
        raise not_found(order_id)
    return order


@dataclass(frozen=True, slots=True)
class StepState:
    """A checklist step with its latest record, if any."""

    step: ChecklistStep
    record: StepRecord | None

    @property
    def done(self) -> bool:
        return self.record is not None and self.record.outcome == "done"

    @property
    def skipped(self) -> bool:
        return self.record is not None and self.record.outcome == "skipped"


def latest_step_records(order: WorkOrder) -> dict[str, StepRecord]:
    """Each norm's latest record on the order (the latest counts)."""
    latest: dict[str, StepRecord] = {}
    for rec in StepRecord.objects.filter(order=order).order_by("at", "id"):
        latest[rec.norm_id] = rec
    return latest


def checklist_state(order: WorkOrder) -> list[StepState]:
    """The steps that apply to the order, each with its latest record."""
    latest = latest_step_records(order)
    steps = checklist_for(service_type=order.service_type, kind=order.kind)
    return [StepState(step=s, record=latest.get(s.norm_id)) for s in steps]


def photo_count(order: WorkOrder) -> int:
    return VisitPhoto.objects.filter(order=order).count()
