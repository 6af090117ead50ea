"""Reads of an area's stock for the API and the stock page (no writes)."""

from __future__ import annotations

from typing import Any

from guifan.apps.accounts.models import Role, User
from guifan.apps.orders.access import order_q
from guifan.apps.orders.models import WorkOrder
from guifan.apps.stock.access import requisition_q
from guifan.apps.stock.models import (
    BringBackReceipt,
    ItemKind,
    LoanerUnit,
    Movement,
    Requisition,
    RequisitionStatus,
    StockLevel,
)
from guifan.apps.workforce.models import ServiceArea

# Spare parts first (what the desk looks for), then materials, then the loaner units.
KIND_ORDER = {ItemKind.SPARE: 0, ItemKind.MATERIAL: 1, ItemKind.LOANER: 2}


def _visible_orders(area: ServiceArea, by: User | None) -> set[int] | None:
    """The ids of the area's orders ``by`` may see; None when that is all of them (the area's
    dispatchers, administrators), so the page does not read every order of the area."""
    if by is None or by.role != Role.TECHNICIAN:
        return None  # whoever else reads an area's stock dispatches it or acts everywhere
    return set(WorkOrder.objects.filter(order_q(by), area=area).values_list("id", flat=True))


def _shown(order_id: int | None, visible: set[int] | None) -> bool:
    return order_id is not None and (visible is None or order_id in visible)


def stock_levels(area: ServiceArea) -> list[dict[str, Any]]:
    rows = sorted(
        StockLevel.objects.filter(area=area).select_related("item"),
        key=lambda r: (KIND_ORDER.get(ItemKind(r.item.kind), 9), r.item.code),
    )
    return [
        {
            "code": r.item.code,
            "name": r.item.name,
            "kind": r.item.kind,
            "kind_label": r.item.get_kind_display(),
            "unit": r.item.unit,
            "on_hand": r.on_hand,
            "reserved": r.reserved,
            "available": r.available,
        }
        for r in rows
    ]


def stock_loaners(area: ServiceArea, *, by: User | None = None) -> list[dict[str, Any]]:
    """The area's loaner units; whom a unit is lent to only where ``by`` may see the order."""
    visible = set(WorkOrder.objects.filter(order_q(by), area=area).values_list("id", flat=True))
    receipts = {
        r.loaner_id: r
        for r in BringBackReceipt.objects.filter(loaner__area=area, returned_at__isnull=True)
    }
    out = []
    for unit in LoanerUnit.objects.filter(area=area).select_related("item", "order"):
        receipt = receipts.get(unit.id) if unit.order_id else None
        shown = unit.order if _shown(unit.order_id, visible) else None
        out.append(
            {
                "serial": unit.serial,
                "name": unit.item.name,
                "state": unit.state,
                "state_label": unit.get_state_display(),
                "order_id": shown.id if shown else None,
                "order_number": shown.number if shown else None,
                "return_by": receipt.return_by if receipt and shown else None,
            }
        )
    return out


def stock_movements(
    area: ServiceArea, *, by: User | None = None, limit: int = 30
) -> list[dict[str, Any]]:
    """The area's latest movements; the order named only where ``by`` may see it."""
    visible = _visible_orders(area, by)
    rows = (
        Movement.objects.filter(area=area)
        .select_related("item", "order", "loaner")
        .order_by("-at", "-id")[:limit]
    )
    return [
        {
            "id": m.id,
            "at": m.at,
            "kind": m.kind,
            "kind_label": m.get_kind_display(),
            "code": m.item.code,
            "name": m.item.name,
            "qty": m.qty,
            "on_hand_after": m.on_hand_after,
            "reserved_after": m.reserved_after,
            "order_number": m.order.number if m.order and _shown(m.order_id, visible) else None,
            "loaner": m.loaner.serial if m.loaner else None,
            "actor": m.actor_label,
            "note": m.note,
        }
        for m in rows
    ]


def stock_open_requisitions(area: ServiceArea, *, by: User | None = None) -> list[dict[str, Any]]:
    """The area's open requisitions that ``by`` may work (a technician: their orders')."""
    rows = (
        Requisition.objects.filter(requisition_q(by), area=area, status=RequisitionStatus.OPEN)
        .select_related("order")
        .prefetch_related("lines__item")
        .order_by("raised_at", "id")
    )
    return [
        {
            "id": r.id,
            "order_id": r.order_id,
            "order_number": r.order.number,
            "stage": r.stage,
            "stage_label": r.get_stage_display(),
            "revisit": r.revisit,
            "raised_at": r.raised_at,
            "lines": [
                {"code": line.item.code, "name": line.item.name, "qty": line.qty}
                for line in r.lines.all()
            ],
        }
        for r in rows
    ]


def stock_area_view(area: ServiceArea, *, by: User | None) -> dict[str, Any]:
    """What ``by`` (who may read the area's stock) sees of it."""
    return {
        "area": area.code,
        "name": area.name,
        "levels": stock_levels(area),
        "loaners": stock_loaners(area, by=by),
        "movements": stock_movements(area, by=by),
        "requisitions": stock_open_requisitions(area, by=by),
    }
