"""What the orders' signals do to the stock: a cancelled order frees the parts it reserved.

Receivers run in the sender's transaction: the release lands with the cancellation or not at
all.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guifan.apps.accounts.models import User
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.signals import order_moved
from guifan.apps.stock.services.requisitions import order_requisitions_release


@receiver(order_moved, dispatch_uid="stock.order_moved")
def on_order_moved(
    sender: Any, *, order: WorkOrder, to_status: str, by: User | None, **kwargs: Any
) -> None:
    if to_status == Status.CANCELLED:
        order_requisitions_release(order, by=by)
