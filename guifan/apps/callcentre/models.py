"""Callbacks as durable work, their attempts, and survey forms as versioned data."""

from __future__ import annotations

from django.db import models

from guifan.apps.callcentre.choices import CallbackStatus, Outcome, Purpose


class Callback(models.Model):
    """One call the centre owes a customer, due by its norm's window."""

    order = models.ForeignKey(
        "orders.WorkOrder", on_delete=models.CASCADE, related_name="callbacks", verbose_name="工单"
    )
    # One callback per occasion: "<purpose>:<order>" or "complaint:<case>" (receivers repeat).
    key = models.CharField("唯一键", max_length=80, unique=True)
    purpose = models.CharField("目的", max_length=12, choices=Purpose.choices)
    norm_id = models.CharField("规范", max_length=10)
    created_at = models.DateTimeField("创建时间")
    due_at = models.DateTimeField("回访时限")
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name="回访人",
    )
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    outcome = models.CharField(
        "结果", max_length=16, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    answered_at = models.DateTimeField("回访时间", null=True, blank=True)
    overdue = models.BooleanField("已超时", default=False)
    revisit_booked = models.BooleanField("已安排重新上门", default=False)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "回访任务"
        verbose_name_plural = "回访任务"
        ordering = ("due_at", "id")
        indexes = (models.Index(fields=["status", "due_at"]),)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.order_id}"


class CallbackAttempt(models.Model):
    """One dial: reached or not, with a note; an idempotency key makes a repeat a no-op."""

    callback = models.ForeignKey(
        Callback, on_delete=models.CASCADE, related_name="attempts", verbose_name="回访任务"
    )
    client_key = models.CharField("幂等键", max_length=200)
    request_hash = models.CharField("请求摘要", max_length=64)
    at = models.DateTimeField("时间")
    reached = models.BooleanField("接通")
    note = models.CharField("备注", max_length=300, blank=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="回访人"
    )

    class Meta:
        verbose_name = "回访尝试"
        verbose_name_plural = "回访尝试"
        ordering = ("at", "id")
        constraints = (
            models.UniqueConstraint(fields=["callback", "client_key"], name="attempt_key_unique"),
        )

    def __str__(self) -> str:
        return f"{self.callback_id} {'接通' if self.reached else '未接通'} {self.at:%m-%d %H:%M}"


class SurveyForm(models.Model):
    code = models.CharField("表单编码", max_length=40, unique=True)
    title = models.CharField("名称", max_length=100)
    needs_visit = models.BooleanField("须有上门", default=True)

    class Meta:
        verbose_name = "回访问卷"
        verbose_name_plural = "回访问卷"

    def __str__(self) -> str:
        return self.title


class SurveyVersion(models.Model):
    """A form's questions as they were at one version; never edited once answered."""

    form = models.ForeignKey(
        SurveyForm, on_delete=models.CASCADE, related_name="versions", verbose_name="问卷"
    )
    version = models.PositiveIntegerField("版本")
    questions = models.JSONField("问题")
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        verbose_name = "问卷版本"
        verbose_name_plural = "问卷版本"
        ordering = ("form", "version")
        constraints = (
            models.UniqueConstraint(fields=["form", "version"], name="survey_version_unique"),
        )

    def __str__(self) -> str:
        return f"{self.form.code} v{self.version}"


class SurveyAnswer(models.Model):
    """One answer, with the version of the form it answered."""

    attempt = models.ForeignKey(
        CallbackAttempt, on_delete=models.CASCADE, related_name="answers", verbose_name="回访"
    )
    version = models.ForeignKey(
        SurveyVersion, on_delete=models.PROTECT, related_name="answers", verbose_name="问卷版本"
    )
    question_id = models.CharField("问题", max_length=40)
    value = models.JSONField("回答", null=True)  # None: the customer does not know

    class Meta:
        verbose_name = "问卷回答"
        verbose_name_plural = "问卷回答"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"
