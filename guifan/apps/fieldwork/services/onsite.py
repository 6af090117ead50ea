"""The on-site gate shared by the technician's step and evidence services."""

from __future__ import annotations

from guifan.apps.orders.models import WorkOrder
from guifan.errors import Conflict


def require_on_site(order: WorkOrder) -> None:
    """On-site steps and evidence are recorded only while the technician is on site."""
    if order.status != "on_site":
        raise Conflict(
            "visit.not_on_site",
            f"工单状态为{order.get_status_display()}，不在现场，不能记录现场步骤",
            field="version",
            extra={"version": order.version, "status": order.status},
        )
