"""A1: an area with opening stock, and repair orders at each stage of the visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import WorkOrder
from guifan.apps.stock.services import stock_seed_for_area
from guifan.apps.workforce.models import ServiceArea, Technician
from guifan.clock import FixedClock, at_local
from tests import factories as f
from tests.factories import kit_ready

MON = dt.date(2025, 6, 2)
FORM = {
    "device_configuration": "i5/8G/512G",
    "data_backup_confirmed": True,
    "exterior_condition": "外壳完好",
    "reason": "主板故障，需返厂检测",
    "customer_signature": "data:image/png;base64,AAAA",
}


def verdicts(norm: str) -> list[bool]:
    return list(
        NormCheck.objects.filter(norm_id=norm).order_by("id").values_list("kept", flat=True)
    )


@dataclass
class Stage:
    """Moves one repair order of area A01 along its visit through the order services."""

    clock: FixedClock
    area: ServiceArea
    tech: Technician

    def analysed(self, **over: object) -> WorkOrder:
        order = f.order(kind="repair", service_type="appliance", **over)
        services.work_order_analyse(order_id=order.id, analysis={"spares_needed": "主板"}, by=None)
        services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
        return WorkOrder.objects.get(id=order.id)

    def booked(self) -> WorkOrder:
        order = self.analysed()
        services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, "14:00"))
        return WorkOrder.objects.get(id=order.id)

    def on_site(self) -> WorkOrder:
        order = self.booked()
        services.visit_assign(
            order_id=order.id,
            technician_id=self.tech.id,
            planned_arrival=at_local(MON, "13:52"),
            by=None,
        )
        kit_ready(order.id)
        for action in ("depart", "arrive"):
            services.work_order_transition(order_id=order.id, action=action, by=None)
        return WorkOrder.objects.get(id=order.id)

    def taken(self) -> WorkOrder:
        order = self.on_site()
        services.visit_bring_back(order_id=order.id, by=None, **FORM)  # type: ignore[arg-type]
        return WorkOrder.objects.get(id=order.id)


def stage_build(clock: FixedClock) -> Stage:
    """Area A01 with its opening stock and an appliance technician (database access needed)."""
    area = f.area("A01")
    stock_seed_for_area(area)
    tech = f.technician(work_types=("appliance_repair",))
    return Stage(clock=clock, area=area, tech=tech)
