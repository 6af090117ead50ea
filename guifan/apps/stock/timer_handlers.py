"""What the stock app's timers do when they fire (inside the worker's transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import verdict_record
from guifan.apps.stock.models import BringBackReceipt
from guifan.apps.stock.services.loaners import RETURN_TIMER
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import handler
from guifan.norms import Verdict
from guifan.norms.reasons import reason


@handler(RETURN_TIMER, "备用机归还到期")
def return_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    """ORD-07 broken: the agreed return date ended and the device is still with us."""
    assert timer.order_id is not None
    order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("area", "technician")
        .get(id=timer.order_id)
    )
    receipt = BringBackReceipt.objects.get(order=order)
    if receipt.returned_at is not None:
        return {"skipped": "returned"}
    verdict_record(
        order,
        Verdict.broke(
            "ORD-07",
            reason(
                "ord07.returned_late",
                return_month=receipt.return_by.month,
                return_day=receipt.return_by.day,
            ),
        ),
        at=now,
    )
    return {"kept": False}
