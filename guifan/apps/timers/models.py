"""Durable timers: every deadline and reminder is a row that fires exactly once."""

from __future__ import annotations

from django.db import models


class TimerStatus(models.TextChoices):
    PENDING = "pending", "待触发"
    FIRED = "fired", "已触发"
    CANCELLED = "cancelled", "已取消"
    FAILED = "failed", "失败"


class Timer(models.Model):
    """A deadline or reminder; fired by the worker in the same transaction as its effect."""

    kind = models.CharField("类型", max_length=40)
    key = models.CharField("唯一键", max_length=120, unique=True)
    norm_id = models.CharField("规范编号", max_length=10, blank=True)
    due_at = models.DateTimeField("到期时间")
    status = models.CharField(
        "状态", max_length=10, choices=TimerStatus.choices, default=TimerStatus.PENDING
    )
    order_id = models.BigIntegerField("工单", null=True, blank=True)
    appointment_id = models.BigIntegerField("预约", null=True, blank=True)
    payload = models.JSONField("参数", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间")
    fired_at = models.DateTimeField("触发时间", null=True, blank=True)
    fired_by = models.CharField("执行者", max_length=64, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)

    class Meta:
        verbose_name = "定时器"
        verbose_name_plural = "定时器"
        indexes = [models.Index(fields=["status", "due_at"], name="timers_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.due_at:%m-%d %H:%M} ({self.status})"
