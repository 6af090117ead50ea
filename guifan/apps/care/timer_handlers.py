"""What the care timers do when they fire (inside the worker's transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.care import services
from guifan.apps.care.models import CareVisit
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import event_record
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler


@handler(services.GENERATE, "关怀上门生成工单")
def care_generate(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """Generate the agreed visit's work order (once, however often this fires)."""
    visit = services.care_visit_generate(
        agreement_id=int(timer.payload["agreement_id"]), sequence=int(timer.payload["sequence"])
    )
    if visit is None:
        return {"generated": False}
    return {"generated": True, "order_id": visit.order_id, "visit_id": visit.id}


@handler(services.FEEDBACK, "关怀上门回访到期")
def care_feedback_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """The feedback call falls due: a task on the order's log for whoever calls back.

    No norm in the catalog measures the home-care follow-up call (QA-01 is about uncertain
    repairs), so it is an event, not a verdict. A visit not completed yet is checked again
    the next day; a cancelled one, or one already called back, needs nothing.
    """
    visit = CareVisit.objects.select_related("agreement").get(id=int(timer.payload["visit_id"]))
    order = WorkOrder.objects.select_for_update(of=("self",)).get(id=visit.order_id)
    attempt = int(timer.payload.get("attempt", 1))
    if order.status in (Status.CALLBACK, Status.CLOSED, Status.CANCELLED):
        return {"due": False, "status": order.status}
    if order.status != Status.COMPLETED:
        return {"due": False, "recheck": services.care_feedback_rearm(visit, attempt=attempt)}
    agreement = visit.agreement
    event_record(
        order,
        action="care_feedback_due",
        at=now,
        by=None,
        msg="care.feedback_due",
        detail={
            "agreement_id": agreement.id,
            "sequence": visit.sequence,
            "next_date": agreement.next_date.isoformat() if agreement.next_date else None,
            "next_half_day": agreement.next_half_day,
        },
    )
    return {"due": True, "order_id": order.id}
