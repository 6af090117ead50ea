"""Case objects for the authz matrices, made on demand for the side addressed (issue 14).

A QA-02 case on the side's order, opened as the order's technician heard the customer's
unhappy rating (so that technician owns it, first contact).
"""

from __future__ import annotations

from guifan.apps.cases.services import case_open_dissatisfied
from guifan.apps.orders.models import WorkOrder
from guifan.clock import now as clock_now
from tests.city import Side


def case_id(side: Side) -> int:
    order = WorkOrder.objects.get(id=side.order_id)
    case, _ = case_open_dissatisfied(
        order=order,
        source="rating",
        reason="客户评分 2 分",
        at=clock_now(),
        by=side.technician_user,
    )
    return case.id
