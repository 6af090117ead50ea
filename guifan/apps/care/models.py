"""Recurring home care (seed 003, 居家養老上門服務): an agreement and the visits it generates."""

from __future__ import annotations

from django.db import models

from guifan.apps.care.choices import Weekday
from guifan.apps.orders.choices import HalfDay


class ServiceAgreement(models.Model):
    """A signed home-care agreement (「簽定服務協議」): who, where, and how often.

    The schedule is every ``every_weeks`` weeks on ``weekday`` in ``half_day``; ``next_date``
    is the next visit agreed with the customer (「電話反饋并約定下次服務時間」), by default the
    schedule's next date, changed when the feedback call agrees another one.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name="服务对象"
    )
    address = models.ForeignKey(
        "customers.Address", on_delete=models.PROTECT, related_name="+", verbose_name="地址"
    )
    area = models.ForeignKey(
        "workforce.ServiceArea",
        on_delete=models.PROTECT,
        related_name="care_agreements",
        verbose_name="片区",
    )
    service_type = models.CharField("业务", max_length=20, default="home_care", editable=False)
    description = models.CharField("服务内容", max_length=200)
    every_weeks = models.PositiveSmallIntegerField("间隔（周）")
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices)
    half_day = models.CharField("时段", max_length=2, choices=HalfDay.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    active = models.BooleanField("有效", default=True)
    next_date = models.DateField("下次上门日期", null=True, blank=True)
    next_half_day = models.CharField("下次时段", max_length=2, choices=HalfDay.choices)
    next_sequence = models.PositiveIntegerField("下次序号", default=1)
    created_at = models.DateTimeField("签订时间")
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签订人",
    )

    class Meta:
        verbose_name = "上门关怀协议"
        verbose_name_plural = "上门关怀协议"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1, every_weeks__lte=52),
                name="%(app_label)s_%(class)s_every_1_52",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"关怀协议 {self.id}（{self.customer}）"


class CareVisit(models.Model):
    """The ``sequence``-th visit of an agreement and the work order generated for it.

    The unique (agreement, sequence) pair makes generation idempotent: a timer fired twice,
    or two workers racing, yield one order.
    """

    agreement = models.ForeignKey(
        ServiceAgreement, on_delete=models.CASCADE, related_name="visits", verbose_name="协议"
    )
    sequence = models.PositiveIntegerField("序号")
    date = models.DateField("约定日期")
    half_day = models.CharField("时段", max_length=2, choices=HalfDay.choices)
    order = models.OneToOneField(
        "orders.WorkOrder", on_delete=models.PROTECT, related_name="care_visit", verbose_name="工单"
    )
    generated_at = models.DateTimeField("生成时间")
    feedback_at = models.DateTimeField("回访时间", null=True, blank=True)

    class Meta:
        verbose_name = "上门关怀记录"
        verbose_name_plural = "上门关怀记录"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "sequence"], name="%(app_label)s_%(class)s_one_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}#{self.sequence} {self.date}"
