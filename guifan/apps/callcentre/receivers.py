"""What opens a callback: the orders' signals (a remote fix, a completion the technician is
unsure of or did not test with the customer, a closure drawn for the audit, a complaint).
Receivers run in the sender's transaction: the callback lands with the change or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from guifan.apps.callcentre.choices import Purpose
from guifan.apps.callcentre.sampling import sampled
from guifan.apps.callcentre.services import callback_open, due_for, visited
from guifan.apps.fieldwork.choices import StepOutcome
from guifan.apps.fieldwork.selectors import latest_step_records
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import OrderKind
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.signals import complaint_received, order_moved


def untested(order: WorkOrder) -> bool:
    """VIS-14's evidence does not show a test together with the customer."""
    record = latest_step_records(order).get("VIS-14")
    if record is None or record.outcome != StepOutcome.DONE:
        return True
    return record.evidence.get("customer_tried") is False


@receiver(order_moved, dispatch_uid="callcentre.order_moved")
def on_order_moved(
    sender: Any,
    *,
    order: WorkOrder,
    action: str,
    at: dt.datetime,
    detail: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    detail = detail or {}
    if action == "remote_resolved":
        callback_open(order=order, purpose=Purpose.REMOTE_FIX, at=at, key=f"ord03:{order.id}")
    elif action == "complete" and order.kind == OrderKind.REPAIR:
        reasons = []
        if detail.get("fix_certain") is False:
            reasons.append(Purpose.UNCERTAIN)
        if untested(order):
            reasons.append(Purpose.UNTESTED)
        if reasons:  # one QA-01 callback, the earlier window when both apply
            purpose = min(reasons, key=lambda p: due_for(order, p, at))
            n = OrderEvent.objects.filter(order=order, action="complete").count()
            callback_open(
                order=order,
                purpose=purpose,
                at=at,
                key=f"qa01:{order.id}:{n}",
                detail={"reasons": [str(r) for r in reasons]},
            )
    elif action == "close" and visited(order):
        rate = float(norms_snapshot().param("QA-06", "sample_rate_pct"))
        if sampled(order.id, rate):
            n = OrderEvent.objects.filter(order=order, action="close").count()
            callback_open(
                order=order,
                purpose=Purpose.AUDIT,
                at=at,
                key=f"qa06:{order.id}:{n}",
                detail={"sample_rate_pct": rate},
            )


@receiver(complaint_received, dispatch_uid="callcentre.complaint_received")
def on_complaint(
    sender: Any, *, case_id: int, order: WorkOrder | None, at: dt.datetime, **kwargs: Any
) -> None:
    """After every complaint about an order the call centre calls the customer back."""
    if order is None:
        return
    callback_open(
        order=order,
        purpose=Purpose.COMPLAINT,
        at=at,
        key=f"complaint:{case_id}",
        detail={"case_id": case_id},
    )
