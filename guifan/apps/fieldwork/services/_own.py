"""Lock an order the technician is assigned to, checking the version the page saw."""

from __future__ import annotations

from guifan.apps.accounts.models import User
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import order_lock
from guifan.errors import Conflict, NotFound


def own_order_lock(*, order_id: int, by: User, expected_version: int | None = None) -> WorkOrder:
    """The order row-locked; another technician's order is not found (no existence leak)."""
    try:
        order = order_lock(order_id)
    except NotFound:
        order = None
    if order is None or order.technician is None or order.technician.user_id != by.id:
        raise NotFound("order.not_found", "工单不存在或未派给您", field="order_id")
    if expected_version is not None and order.version != expected_version:
        raise Conflict(
            "order.stale",
            f"工单已被他人修改(当前状态:{order.get_status_display()}),请刷新后重试",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
    return order


def require_on_site(order: WorkOrder) -> None:
    if order.status != "on_site":
        raise Conflict(
            "visit.not_on_site",
            f"工单状态为 {order.get_status_display()},不在现场,不能记录现场步骤",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
