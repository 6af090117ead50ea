"""Province plan runs: one batch per day (or re-plan round), one run per area (issue 18 §5).

A batch is started once per key (``plan:2026-12-07``, ``replan:2026-12-07T10``): starting it
again returns the same batch and queues only the areas it does not have yet (or that failed).
Each run is one background task on the worker; its row says where the area stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guifan.apps.workforce.models import ServiceArea


class PlanKind(models.TextChoices):
    PLAN = "plan", "夜间排程"
    REPLAN = "replan", "日内重排"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "规划中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class PlanBatch(models.Model):
    """The plans of many areas for one day, started together."""

    key = models.CharField("批次键", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=PlanKind.choices)
    day = models.DateField("日期")
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )

    class Meta:
        verbose_name = "排程批次"
        verbose_name_plural = "排程批次"
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return self.key


class PlanRun(models.Model):
    """One area's plan in a batch: queued, running, done (with counts) or failed (with why)."""

    batch = models.ForeignKey(
        PlanBatch, on_delete=models.CASCADE, related_name="runs", verbose_name="批次"
    )
    area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="plan_runs", verbose_name="片区"
    )
    status = models.CharField(
        "状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    task_id = models.CharField("任务", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    worker = models.CharField("执行者", max_length=64, blank=True)
    queued_at = models.DateTimeField("入队时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    assigned = models.PositiveIntegerField("已安排", null=True, blank=True)
    unassigned = models.PositiveIntegerField("未安排", null=True, blank=True)
    skipped = models.PositiveIntegerField("跳过", null=True, blank=True)
    reason_code = models.CharField("原因代码", max_length=40, blank=True)
    reason = models.CharField("原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "片区排程"
        verbose_name_plural = "片区排程"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "area"], name="%(app_label)s_%(class)s_unique_batch_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch.key} {self.area.code} {self.status}"
