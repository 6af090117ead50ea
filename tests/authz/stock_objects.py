"""Stock objects for the authz matrices, made on demand for the side addressed (issue 13).

The city (``tests.city``) has no stock; the rows that need a requisition or a receipt build
one here, through the product's services where the state is composite.
"""

from __future__ import annotations

import datetime as dt

from guifan.apps.stock.models import BringBackReceipt, Requisition, StockLevel
from guifan.apps.stock.receipt import receipt_token
from guifan.apps.stock.services import Need, requisition_raise, stock_seed_for_area
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import now as clock_now
from tests.city import Side


def stocked(side: Side) -> ServiceArea:
    area = ServiceArea.objects.get(code=side.area)
    if not StockLevel.objects.filter(area=area).exists():
        stock_seed_for_area(area)
    return area


def requisition_id(side: Side) -> int:
    """An open requisition of the side's order (a spare part power supply)."""
    stocked(side)
    req = Requisition.objects.filter(order_id=side.order_id).first()
    if req is None:
        req = requisition_raise(order_id=side.order_id, needs=[Need("PSU-12V", 1)], by=None)
    return req.id


def receipt_link_token(side: Side) -> str:
    """The customer's signed link to a receipt for the side's order."""
    receipt, _ = BringBackReceipt.objects.get_or_create(
        order_id=side.order_id,
        defaults={
            "number": f"SJ-authz-{side.order_id}",
            "return_by": dt.date(2025, 6, 5),
            "issued_at": clock_now(),
        },
    )
    return receipt_token(receipt.id)
