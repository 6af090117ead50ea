"""Reads of an area's stock for the API and the stock page (no writes)."""

from __future__ import annotations

from typing import Any

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


def stock_loaners(area: ServiceArea) -> list[dict[str, Any]]:
    receipts = {
        r.loaner_id: r
        for r in BringBackReceipt.objects.filter(loaner__area=area, returned_at__isnull=True)
    }
    out = []
    for unit in LoanerUnit.objects.filter(area=area).select_related("item", "order"):
        receipt = receipts.get(unit.id) if unit.order_id else None
        out.append(
            {
                "serial": unit.serial,
                "name": unit.item.name,
                "state": unit.state,
                "state_label": unit.get_state_display(),
                "order_id": unit.order_id,
                "order_number": unit.order.number if unit.order else None,
                "return_by": receipt.return_by if receipt else None,
            }
        )
    return out


def stock_movements(area: ServiceArea, *, limit: int = 30) -> list[dict[str, Any]]:
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
            "order_number": m.order.number if m.order else None,
            "loaner": m.loaner.serial if m.loaner else None,
            "actor": m.actor_label,
            "note": m.note,
        }
        for m in rows
    ]


def stock_open_requisitions(area: ServiceArea) -> list[dict[str, Any]]:
    rows = (
        Requisition.objects.filter(area=area, status=RequisitionStatus.OPEN)
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


def stock_area_view(area: ServiceArea) -> dict[str, Any]:
    return {
        "area": area.code,
        "name": area.name,
        "levels": stock_levels(area),
        "loaners": stock_loaners(area),
        "movements": stock_movements(area),
        "requisitions": stock_open_requisitions(area),
    }
