"""The visit as the technician's app reads it: steps, the evidence each asks, what is missing.

A read, kept with the services because what completion lacks depends on the norm parameters
(the norms service) and on the same rule completion applies (``missing_for_completion``)."""

from __future__ import annotations

from typing import Any

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.selectors import checklist_state
from guifan.apps.fieldwork.services.steps import missing_for_completion
from guifan.apps.orders.access import Act, order_require
from guifan.apps.orders.models import WorkOrder
from guifan.errors import NotFound


def visit_state(*, order_id: int, by: User) -> dict[str, Any]:
    order = WorkOrder.objects.select_related("technician", "area").filter(pk=order_id).first()
    if order is None:
        raise NotFound("order.not_found", f"工单 {order_id} 不存在或不归您处理", field="order_id")
    order_require(order, by=by, act=Act.READ)
    steps = []
    for s in checklist_state(order):
        rec = s.record
        steps.append(
            {
                "norm_id": s.step.norm_id,
                "title": s.step.title,
                "mode": s.step.mode,
                "mandatory": s.step.mandatory,
                "gate": s.step.gate,
                "evidence": s.step.evidence,
                "do": s.step.do,
                "last": None
                if rec is None
                else {
                    "outcome": rec.outcome,
                    "at": rec.at.isoformat(),
                    "shortfalls": rec.shortfalls,
                    "blocks": rec.blocks,
                },
            }
        )
    return {
        "order_id": order.id,
        "status": order.status,
        "version": order.version,
        "service_type": order.service_type,
        "kind": order.kind,
        "plan_mbps": order.plan_mbps,
        "steps": steps,
        "missing": missing_for_completion(order) if order.status == "on_site" else [],
    }
