"""What a fresh ETA sets off (ADR 0034): the DSP-04 call-ahead prompt while a call can still
come in time, and the customer's one "last mile" SMS (APT-07 ``last_mile_minutes``).

``eta_follow_up`` runs after a position report or a finished visit, outside their
transaction: the road-time provider may be a network service. Its writes lock the order.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from guifan.apps.fieldwork.eta import Eta, eta_next
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import (
    AppointmentStatus,
    ContactOutcome,
    Status,
)
from guifan.apps.orders.models import Appointment, OrderEvent, WorkOrder
from guifan.apps.orders.services.records import event_record
from guifan.apps.orders.timer_handlers import arrival_sms
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_schedule
from guifan.apps.workforce.models import Technician
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.optimize.matrix import MatrixUnavailable

log = logging.getLogger(__name__)
LAST_MILE = "apt07.last_mile"


def _prompted_since_dispatch(order: WorkOrder) -> bool:
    """One DSP-04 prompt per assignment: a late-risk event newer than the last dispatch."""
    last = {
        action: OrderEvent.objects.filter(order=order, action=action)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
        for action in ("late_risk", "dispatch")
    }
    return last["late_risk"] > last["dispatch"]


def _late_prompt(eta: Eta, now: dt.datetime) -> bool:
    """DSP-04: predicted after the window, and the call still due: tell the technician now."""
    if not eta.late:
        return False
    order = WorkOrder.objects.select_for_update().get(id=eta.order_id)
    if _prompted_since_dispatch(order):
        return False
    event_record(
        order,
        action="late_risk",
        at=now,
        by=None,
        msg="late_risk.eta",
        args={"eta": f"{local(eta.at):%H:%M}", "due": f"{local(eta.call_by):%H:%M}"},
        detail={"source": eta.source, "overdue": now > eta.call_by},
    )
    return True


def eta_follow_up(*, technician_id: int, now: dt.datetime | None = None) -> Eta | None:
    """Compute the next stop's ETA; prompt the late call (DSP-04) and arm the last-mile SMS
    (APT-07) when they apply. A road-time service that is down changes nothing."""
    now = now or clock_now()
    tech = Technician.objects.get(id=technician_id)
    ns = norms_snapshot()
    try:
        eta = eta_next(tech, now, ns)  # the road-time call, outside any transaction
    except MatrixUnavailable as exc:
        log.warning("no ETA for technician %s: %s", technician_id, exc)
        return None
    if eta is not None:
        _eta_effects(eta, now)
    return eta


@transaction.atomic
def _eta_effects(eta: Eta, now: dt.datetime) -> None:
    _late_prompt(eta, now)
    if eta.last_mile:
        # The key names the visit: the message goes once, however many reports follow.
        timer_schedule(
            kind=LAST_MILE,
            key=f"apt07lastmile:{eta.appointment_id}",
            due_at=now,
            norm_id="APT-07",
            order_id=eta.order_id,
            appointment_id=eta.appointment_id,
            payload={"minutes": eta.minutes},
        )


def eta_follow_up_later(technician_id: int) -> None:
    """After the caller's transaction commits (at once outside one): the road-time call stays
    outside the transaction that recorded the fact."""
    # robust: a failed follow-up is logged; the visit it follows stays answered and recorded.
    transaction.on_commit(lambda: eta_follow_up(technician_id=technician_id), robust=True)


@handler(LAST_MILE, "即将到达短信")
def last_mile_send(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """The customer's one SMS: the technician is a few minutes away (APT-07)."""
    appt = Appointment.objects.select_related("order__customer", "order__technician").get(
        id=int(timer.appointment_id or 0)
    )
    order = appt.order
    if appt.status != AppointmentStatus.ACTIVE or order.status != Status.EN_ROUTE:
        return {"skipped": order.status}
    minutes = int(timer.payload.get("minutes", 0))
    when = f"距您约 {max(minutes, 1)} 分钟车程，即将到达。"
    outcome = arrival_sms(order, appt, key=timer.key, when=when)
    return {"sent": outcome == ContactOutcome.SENT}
