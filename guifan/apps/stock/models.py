"""Items, per-area stock levels, the append-only movement ledger, requisitions and loaners.

``StockLevel`` holds the running balance of one item in one area; every change to it is one
``Movement`` row written in the same transaction under the level's row lock, so the balance
always equals the ledger's sum (``services.ledger.stock_ledger_verify``). Database checks
keep on-hand and reserved non-negative and reserved within on-hand even if code went wrong.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """A movement was to be edited or deleted: the ledger only grows."""


class ItemKind(models.TextChoices):
    SPARE = "spare", "备件"
    MATERIAL = "material", "材料"
    LOANER = "loaner", "周转机"


class MovementKind(models.TextChoices):
    RECEIVE = "receive", "入库"
    RESERVE = "reserve", "预留"
    ISSUE = "issue", "领用出库"
    RETURN = "return", "退回入库"
    RELEASE = "release", "取消预留"
    LEND = "lend", "借出周转机"
    TAKE_BACK = "take_back", "收回周转机"


class RequisitionStage(models.TextChoices):
    ANALYSIS = "analysis", "预判时申领"
    LATE = "late", "预约后申领"
    ON_SITE = "on_site", "现场缺件申领"


class RequisitionStatus(models.TextChoices):
    OPEN = "open", "待领用"
    FULFILLED = "fulfilled", "已领用"
    RELEASED = "released", "已取消"


class LoanerState(models.TextChoices):
    AVAILABLE = "available", "在库"
    LENT = "lent", "已借出"


class Item(models.Model):
    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=10, choices=ItemKind.choices)
    unit = models.CharField("单位", max_length=10, default="个")

    class Meta:
        verbose_name = "物料"
        verbose_name_plural = "物料"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StockLevel(models.Model):
    """One item's balance in one area: on hand (in the store) and reserved (promised)."""

    area = models.ForeignKey(
        "workforce.ServiceArea", on_delete=models.PROTECT, related_name="stock", verbose_name="片区"
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="levels", verbose_name="物资"
    )
    on_hand = models.IntegerField("在库", default=0)
    reserved = models.IntegerField("已预留", default=0)

    class Meta:
        verbose_name = "库存"
        verbose_name_plural = "库存"
        ordering = ["area__code", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "item"], name="stock_level_one_per_area_item"),
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=0), name="stock_level_on_hand_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0) & models.Q(reserved__lte=models.F("on_hand")),
                name="stock_level_reserved_within_on_hand",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.item_id}: {self.on_hand} ({self.reserved})"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Requisition(models.Model):
    """Parts requested for one order from its area's stock (ORD-04)."""

    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        related_name="requisitions",
        verbose_name="工单",
    )
    area = models.ForeignKey(
        "workforce.ServiceArea", on_delete=models.PROTECT, related_name="+", verbose_name="服务区域"
    )
    stage = models.CharField("申领时机", max_length=10, choices=RequisitionStage.choices)
    status = models.CharField(
        "状态", max_length=10, choices=RequisitionStatus.choices, default=RequisitionStatus.OPEN
    )
    # On site, the customer had no time to wait: a revisit is booked (ORD-04, counted).
    revisit = models.BooleanField("需再次上门", default=False)
    raised_at = models.DateTimeField("申领时间")
    closed_at = models.DateTimeField("完结时间", null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="申领人",
    )

    class Meta:
        verbose_name = "备件申领单"
        verbose_name_plural = "备件申领单"
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"申领单 {self.id}"


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="lines", verbose_name="领料单"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物资")
    qty = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "领料明细"
        verbose_name_plural = "领料明细"
        constraints = [
            models.UniqueConstraint(fields=["requisition", "item"], name="stock_line_one_per_item"),
            models.CheckConstraint(condition=models.Q(qty__gt=0), name="stock_line_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} x{self.qty}"


class LoanerUnit(models.Model):
    """One serial-numbered loaner device (周转机) kept in an area's stock."""

    serial = models.CharField("序列号", max_length=40, unique=True)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="units", verbose_name="物资"
    )
    area = models.ForeignKey(
        "workforce.ServiceArea", on_delete=models.PROTECT, related_name="+", verbose_name="服务区域"
    )
    state = models.CharField(
        "状态", max_length=10, choices=LoanerState.choices, default=LoanerState.AVAILABLE
    )
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="借用工单",
    )

    class Meta:
        verbose_name = "周转机"
        verbose_name_plural = "周转机"
        ordering = ["serial"]
        constraints = [
            # A lent unit names the order it is lent to; an available one none.
            models.CheckConstraint(
                condition=(models.Q(state="lent") & models.Q(order__isnull=False))
                | (models.Q(state="available") & models.Q(order__isnull=True)),
                name="stock_loaner_lent_has_order",
            )
        ]

    def __str__(self) -> str:
        return self.serial


class Movement(models.Model):
    """One change of stock, never edited or deleted (the ledger)."""

    area = models.ForeignKey(
        "workforce.ServiceArea", on_delete=models.PROTECT, related_name="+", verbose_name="服务区域"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="物资")
    kind = models.CharField("类型", max_length=10, choices=MovementKind.choices)
    qty = models.PositiveIntegerField("数量")
    on_hand_after = models.IntegerField("变动后在库")
    reserved_after = models.IntegerField("变动后预留")
    at = models.DateTimeField("时间")
    actor_label = models.CharField("操作人", max_length=160)
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工单",
    )
    requisition = models.ForeignKey(
        Requisition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name="领料单",
    )
    loaner = models.ForeignKey(
        LoanerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name="备用机",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "库存流水"
        verbose_name_plural = "库存流水"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["area", "-at"], name="stock_movement_area_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} x{self.qty}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("库存流水只可追加，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("库存流水只可追加，不可删除")


class BringBackReceipt(models.Model):
    """The receipt for a device taken away for repair, with the loaner and return date (ORD-07)."""

    order = models.OneToOneField(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        related_name="bring_back_receipt",
        verbose_name="工单",
    )
    number = models.CharField("收条编号", max_length=60, unique=True)
    loaner = models.ForeignKey(
        LoanerUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name="备用机",
    )
    return_by = models.DateField("约定送回日期")
    issued_at = models.DateTimeField("开具时间")
    returned_at = models.DateTimeField("送回时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="开具人",
    )

    class Meta:
        verbose_name = "带回维修收条"
        verbose_name_plural = "带回维修收条"
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
