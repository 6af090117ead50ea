"""Quality plans, the evaluators' queues, evaluations, calibration sessions and disputes.

An interaction is named by its kind and the id of its row: a transcript
(``compliance.TranscriptCheck``), a field visit (``orders.WorkOrder`` with its step records)
or a hall ticket (``hall.Ticket``). The evaluated person is a technician's badge or a hall
clerk's username, as on ``norms.NormCheck``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    TRANSCRIPT = "transcript", "对话录音/文本"
    VISIT = "visit", "上门服务"
    TICKET = "ticket", "营业厅办理"


class Plan(models.Model):
    """Which interactions of each day are sampled to which evaluators."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("评估对象", max_length=12, choices=Kind.choices)
    # Either a share of each person's interactions, or a count per person per day.
    rate_pct = models.FloatField("抽样比例(%)", null=True, blank=True)
    per_person = models.PositiveSmallIntegerField("每人每日抽样数", null=True, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evaluation_plans", verbose_name="评估员"
    )
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )

    class Meta:
        verbose_name = "质检计划"
        verbose_name_plural = "质检计划"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(rate_pct__isnull=False, per_person__isnull=True)
                    & models.Q(rate_pct__gte=0, rate_pct__lte=100)
                )
                | models.Q(rate_pct__isnull=True, per_person__isnull=False),
                name="evaluation_plan_rate_or_count",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalibrationSession(models.Model):
    """Several evaluators score the same interaction; their agreement is shown."""

    kind = models.CharField("评估对象", max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField("对象编号")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )

    class Meta:
        verbose_name = "校准会"
        verbose_name_plural = "校准会"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"校准会 {self.id}"


class AssignmentStatus(models.TextChoices):
    OPEN = "open", "待评估"
    DONE = "done", "已评估"


class Assignment(models.Model):
    """One interaction in one evaluator's queue (from a plan's sample or a calibration)."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="评估员"
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="抽检计划",
    )
    calibration = models.ForeignKey(
        CalibrationSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="校准会",
    )
    kind = models.CharField("评估对象", max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField("对象编号")
    person = models.CharField("被评估人", max_length=60)
    area_code = models.CharField("片区/营业厅", max_length=20, blank=True)
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工单",
    )
    day = models.DateField("业务日")
    at = models.DateTimeField("发生时间")
    status = models.CharField(
        "状态", max_length=6, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    created_at = models.DateTimeField("派发时间")

    class Meta:
        verbose_name = "评估任务"
        verbose_name_plural = "评估任务"
        ordering = ["status", "at", "id"]
        constraints = [
            # A plan samples an interaction once, however often its planner runs.
            models.UniqueConstraint(
                fields=["plan", "kind", "object_id"],
                condition=models.Q(plan__isnull=False),
                name="evaluation_assignment_once_per_plan",
            ),
            models.UniqueConstraint(
                fields=["calibration", "evaluator"],
                condition=models.Q(calibration__isnull=False),
                name="evaluation_assignment_once_per_session",
            ),
        ]
        indexes = [models.Index(fields=["evaluator", "status"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} → {self.evaluator_id}"


class EvaluationStatus(models.TextChoices):
    FINAL = "final", "有效"
    DISPUTED = "disputed", "申诉中"
    UPHELD = "upheld", "申诉驳回"
    OVERTURNED = "overturned", "申诉改判"


class Evaluation(models.Model):
    """The answers of one evaluator on one form version, and their score."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="evaluation", verbose_name="评估任务"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="评估员"
    )
    kind = models.CharField("评估对象", max_length=12, choices=Kind.choices)
    object_id = models.PositiveIntegerField("对象编号")
    person = models.CharField("被评估人", max_length=60, db_index=True)
    area_code = models.CharField("片区/营业厅", max_length=20, blank=True)
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工单",
    )
    form_version = models.PositiveSmallIntegerField("评估表版本")
    # The questions as they were on that version: a new version changes nothing stored.
    form = models.JSONField("评估表")
    answers = models.JSONField("答案")
    note = models.CharField("评语", max_length=500, blank=True)
    score = models.FloatField("得分")
    critical_failed = models.JSONField("致命项不合格", default=list)
    # The NormCheck rows this evaluation wrote (none for a calibration score).
    norm_check_ids = models.JSONField("规范核查", default=list)
    status = models.CharField(
        "状态", max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.FINAL
    )
    at = models.DateTimeField("评估时间")

    class Meta:
        verbose_name = "评估"
        verbose_name_plural = "评估"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"评估 {self.id}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "待裁定"
    UPHELD = "upheld", "维持原评"
    OVERTURNED = "overturned", "改判"


class Dispute(models.Model):
    """The evaluated person disputes an evaluation; a second evaluator decides."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="dispute", verbose_name="评估"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申诉人"
    )
    reason = models.CharField("申诉理由", max_length=500)
    raised_at = models.DateTimeField("申诉时间")
    status = models.CharField(
        "状态", max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="裁定人",
    )
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    decision_note = models.CharField("裁定说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "评估申诉"
        verbose_name_plural = "评估申诉"
        ordering = ["status", "raised_at", "id"]

    def __str__(self) -> str:
        return f"申诉 {self.id}"
