"""Stock changes only through the services (the ledger and its balances): the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.stock.models import (
    BringBackReceipt,
    Item,
    LoanerUnit,
    Movement,
    Requisition,
    StockLevel,
)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin, admin.ModelAdmin[Item]):
    list_display = ("code", "name", "kind", "unit")
    list_filter = ("kind",)


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin, admin.ModelAdmin[StockLevel]):
    list_display = ("area", "item", "on_hand", "reserved")
    list_filter = ("area",)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin, admin.ModelAdmin[Movement]):
    list_display = ("at", "area", "item", "kind", "qty", "on_hand_after", "reserved_after")
    list_filter = ("area", "kind")


@admin.register(Requisition)
class RequisitionAdmin(ReadOnlyAdmin, admin.ModelAdmin[Requisition]):
    list_display = ("id", "order", "area", "stage", "status", "revisit", "raised_at")
    list_filter = ("area", "stage", "status")


@admin.register(LoanerUnit)
class LoanerUnitAdmin(ReadOnlyAdmin, admin.ModelAdmin[LoanerUnit]):
    list_display = ("serial", "item", "area", "state", "order")
    list_filter = ("area", "state")


@admin.register(BringBackReceipt)
class BringBackReceiptAdmin(ReadOnlyAdmin, admin.ModelAdmin[BringBackReceipt]):
    list_display = ("number", "order", "loaner", "return_by", "issued_at", "returned_at")
